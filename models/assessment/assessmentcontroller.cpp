#include "assessment/assessmentcontroller.h"

#include "assessment/assessmentrepository.h"
#include "catalog/platformcatalog.h"
#include "core/jobpool.h"
#include "store/projectstore.h"

#include <QFileInfo>
#include <QtConcurrent/QtConcurrentRun>

namespace {
const QString kTargetKey = QStringLiteral("assessment.target");

// Runs on the job pool: assess, then record the result through this thread's own connection.
void assessAndRecord(QPromise<AssessmentOutcome> &promise, const QStringList &paths, const QString &projectPath)
{
    AssessmentOutcome outcome = assessForPromise(promise, paths);
    if (outcome.inventory && !promise.isCanceled()) {
        ThreadConnection connection(projectPath);
        Status saved = connection.isOpen()
            ? AssessmentRepository(connection.database()).save(paths, *outcome.inventory, QDateTime::currentDateTimeUtc())
            : Status(connection.error());
        if (!saved) {
            outcome.inventory.reset();
            outcome.error = saved.error();
        }
    }
    promise.addResult(std::move(outcome));
}
} // namespace

AssessmentController::AssessmentController(ProjectStore *store, const PlatformCatalog *catalog, QObject *parent)
    : QObject(parent), m_store(store), m_catalog(catalog)
{
    for (const AssetKind kind : kAllAssetKinds) {
        auto *model = new AssetsModel(kind, this);
        model->setDatabase(m_store->database());
        connect(model, &AssetsModel::saveFailed, this, &AssessmentController::failed);
        connect(model, &AssetsModel::countChanged, this, &AssessmentController::updateRisks);
        m_assets.insert(kind, model);
    }
    m_duplicatesModel.setDatabase(m_store->database());
    m_invalidModel.setDatabase(m_store->database());
    connect(&m_watcher, &QFutureWatcher<AssessmentOutcome>::progressValueChanged, this,
            [this](int value) { Q_EMIT progressChanged(value, m_watcher.progressText()); });
    connect(&m_watcher, &QFutureWatcher<AssessmentOutcome>::finished, this, &AssessmentController::onFinished);
    loadStored();
}

AssessmentController::~AssessmentController()
{
    if (m_watcher.isRunning()) {
        m_watcher.cancel();
        m_watcher.waitForFinished();
    }
}

QString AssessmentController::targetId() const
{
    return m_store->value(kTargetKey).toString();
}

void AssessmentController::setTargetId(const QString &id)
{
    if (id == targetId())
        return;
    if (Status s = m_store->setValue(kTargetKey, id); !s) {
        Q_EMIT failed(s.error());
        return;
    }
    updateRisks();
}

void AssessmentController::addFiles(const QStringList &paths)
{
    QStringList next = m_files;
    for (const QString &p : paths) {
        const QString absolute = QFileInfo(p).absoluteFilePath();
        if (!next.contains(absolute))
            next.append(absolute);
    }
    if (next != m_files || !m_inventory)
        start(next);
}

void AssessmentController::removeFile(const QString &path)
{
    QStringList next = m_files;
    next.removeAll(path);
    if (next == m_files)
        return;
    if (next.isEmpty()) {
        // Nothing left to assess: forget the stored assessment.
        if (Status s = AssessmentRepository(m_store->database()).clear(); !s) {
            Q_EMIT failed(s.error());
            return;
        }
        loadStored();
        return;
    }
    start(next);
}

void AssessmentController::reassess()
{
    if (!m_files.isEmpty())
        start(m_files);
}

void AssessmentController::cancel()
{
    if (m_watcher.isRunning())
        m_watcher.cancel();
}

void AssessmentController::start(const QStringList &paths)
{
    if (m_watcher.isRunning())
        return; // the page disables adding while a run is going
    m_lastError.reset();
    m_runningFiles = paths;
    setState(State::Running);
    Q_EMIT progressChanged(0, tr("Starting..."));
    m_watcher.setFuture(QtConcurrent::run(jobPool(), &assessAndRecord, paths, m_store->path()));
}

void AssessmentController::onFinished()
{
    const QFuture<AssessmentOutcome> future = m_watcher.future();
    const bool hasResult = future.resultCount() > 0;
    const AssessmentOutcome outcome = hasResult ? future.result() : AssessmentOutcome{std::nullopt, std::nullopt, true};
    if (outcome.inventory) {
        loadStored();
        return;
    }
    setState(m_inventory ? State::Ready : State::Empty);
    if (outcome.cancelled || !outcome.error) {
        Q_EMIT cancelled();
        return;
    }
    m_lastError = outcome.error;
    Q_EMIT failed(*outcome.error);
}

void AssessmentController::loadStored()
{
    const auto stored = AssessmentRepository(m_store->database()).load();
    if (stored && !stored->files.isEmpty()) {
        m_files = stored->files;
        m_inventory = stored->inventory;
        m_assessedAt = stored->assessedAt;
    } else {
        m_files.clear();
        m_inventory.reset();
        m_assessedAt = {};
    }
    m_fieldsModel.setInventory(m_inventory ? m_inventory->fields : QList<InventoryField>{}, m_inventory ? m_inventory->total : 0);
    m_tagsModel.setTags(m_inventory ? m_inventory->tags : QList<InventoryTag>{});
    m_duplicatesModel.reload();
    m_invalidModel.reload();
    setState(m_inventory ? State::Ready : State::Empty);
    Q_EMIT inventoryChanged();
    updateRisks();
}

void AssessmentController::updateRisks()
{
    if (!m_inventory) {
        m_risksModel.setRisks({});
    } else {
        const Platform *target = m_catalog ? m_catalog->find(targetId()) : nullptr;
        m_risksModel.setRisks(RiskAssessment::evaluate(*m_inventory, AssessmentRepository(m_store->database()).assetCounts(), target));
    }
    Q_EMIT risksChanged();
}

void AssessmentController::setState(State state)
{
    if (state == m_state)
        return;
    m_state = state;
    Q_EMIT stateChanged(state);
}
