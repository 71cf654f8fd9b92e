#include "assessment/assessmentcontroller.h"

#include "assessment/apiassessor.h"
#include "assessment/assessmentrepository.h"
#include "catalog/platformcatalog.h"
#include "connectors/connectorfactory.h"
#include "connectors/transport/networkthread.h"
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
// The same for an account read through its API; the assets it read are merged in the same
// transaction.
void assessApiAndRecord(QPromise<AssessmentOutcome> &promise, SourceConnector *source,
                        const QString &audienceId, const QString &projectPath)
{
    AssessmentOutcome outcome = assessApiForPromise(promise, *source, audienceId);
    if (outcome.inventory && !promise.isCanceled()) {
        ThreadConnection connection(projectPath);
        const QStringList sources{ApiAssessor::sourceDescriptor(source->platform(), audienceId)};
        Status saved = connection.isOpen()
            ? AssessmentRepository(connection.database())
                  .save(sources, *outcome.inventory, QDateTime::currentDateTimeUtc(), outcome.assets)
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

void AssessmentController::assessFromApi(const ConnectionSettings &settings, const QString &audienceId)
{
    if (m_watcher.isRunning())
        return;
    if (!m_network)
        m_network = std::make_unique<NetworkThread>();
    std::unique_ptr<SourceConnector> source = ConnectorFactory::source(settings, m_network->client());
    if (!source) {
        m_lastError = Error(tr("Stagecoach cannot read %1 through its API in this version.")
                                .arg(TargetPlatforms::displayName(settings.platform)),
                            {}, tr("Assess an export file instead."));
        Q_EMIT failed(*m_lastError);
        return;
    }
    m_apiSettings = settings;
    m_apiAudience = audienceId;
    m_apiSource = std::move(source);
    const QStringList sources{ApiAssessor::sourceDescriptor(settings.platform, audienceId)};
    startJob(sources, QtConcurrent::run(jobPool(), &assessApiAndRecord, m_apiSource.get(),
                                        audienceId, m_store->path()));
}

bool AssessmentController::isApiSource() const
{
    return m_files.size() == 1 && ApiAssessor::parseDescriptor(m_files.first(), nullptr, nullptr);
}

void AssessmentController::reassess()
{
    if (isApiSource()) {
        TargetPlatform platform = TargetPlatform::Mailchimp;
        QString audience;
        ApiAssessor::parseDescriptor(m_files.first(), &platform, &audience);
        if (m_apiSettings && m_apiSettings->platform == platform) {
            assessFromApi(*m_apiSettings, audience);
        } else {
            m_lastError = Error(tr("Reading %1 again needs its API key.")
                                    .arg(TargetPlatforms::displayName(platform)),
                                {}, tr("Use \"Read from the API\" on this page."));
            Q_EMIT failed(*m_lastError);
        }
        return;
    }
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
    // Files replace an API source.
    QStringList files = paths;
    files.removeIf([](const QString &p) { return ApiAssessor::parseDescriptor(p, nullptr, nullptr); });
    if (files.isEmpty())
        return;
    startJob(files, QtConcurrent::run(jobPool(), &assessAndRecord, files, m_store->path()));
}

void AssessmentController::startJob(const QStringList &sources, QFuture<AssessmentOutcome> job)
{
    m_lastError.reset();
    m_runningFiles = sources;
    setState(State::Running);
    Q_EMIT progressChanged(0, tr("Starting..."));
    m_watcher.setFuture(job);
}

void AssessmentController::onFinished()
{
    const QFuture<AssessmentOutcome> future = m_watcher.future();
    const bool hasResult = future.resultCount() > 0;
    const AssessmentOutcome outcome = hasResult ? future.result() : AssessmentOutcome{std::nullopt, std::nullopt, true, {}};
    if (outcome.inventory) {
        if (!outcome.assets.isEmpty()) {
            for (AssetsModel *model : std::as_const(m_assets))
                model->setDatabase(m_store->database());
        }
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
