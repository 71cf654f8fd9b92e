#include "transfer/transfercontroller.h"

#include "assessment/apiassessor.h"
#include "assessment/assessmentcontroller.h"
#include "connectors/connectioncontroller.h"
#include "connectors/transport/networkthread.h"
#include "plan/fieldmappingcontroller.h"
#include "plan/plancontroller.h"
#include "plan/timelinegenerator.h"
#include "sandbox/sandboxhost.h"
#include "core/jobpool.h"
#include "core/queued.h"
#include "store/projectstore.h"
#include "transfer/transferengine.h"
#include "transfer/transferengine_p.h"
#include "transfer/transferjournal.h"
#include "transfer/transfermemo.h"

#include <QtConcurrent/QtConcurrentRun>

#include <QDir>

using namespace Qt::StringLiterals;

TransferController::TransferController(ProjectStore *store, ConnectionController *connections,
                                       AssessmentController *assessment,
                                       FieldMappingController *mapping, PlanController *plan,
                                       QObject *parent)
    : QObject(parent), m_store(store), m_connections(connections), m_assessment(assessment),
      m_mapping(mapping), m_plan(plan), m_memo(std::make_shared<TransferMemo>())
{
    qRegisterMetaType<TransferProgress>();
    m_pool.setMaxThreadCount(1);
    m_pool.setObjectName(u"transfer"_s);
    connect(&m_watcher, &QFutureWatcher<Result<StageOutcome>>::finished, this,
            &TransferController::onWorkerFinished);
}

TransferController::~TransferController()
{
    if (m_control)
        m_control->cancel();
    m_watcher.disconnect(this);
    m_watcher.waitForFinished();
    m_pool.waitForDone();
}

QString TransferController::listNameKey()
{
    return u"transfer.listName"_s;
}

QString TransferController::seedsKey()
{
    return u"transfer.seeds"_s;
}

QString TransferController::currentUser()
{
    QString user = qEnvironmentVariable("USER");
    if (user.isEmpty())
        user = qEnvironmentVariable("USERNAME");
    return user.isEmpty() ? tr("unknown user") : user;
}

QString TransferController::listName() const
{
    const QString name = m_store->value(listNameKey()).toString().trimmed();
    return name.isEmpty() ? m_store->name() : name;
}

QList<WavePlan> TransferController::wavePlan() const
{
    QList<WavePlan> waves;
    for (const Stage &s : m_plan->timeline().stages) {
        if (s.kind != StageKind::SuppressionWave && s.kind != StageKind::SubscriberWave)
            continue;
        const std::optional<StageRef> ref = StageRef::fromId(s.key);
        if (ref)
            waves.append(WavePlan{ref->wave, s.contacts, {}});
    }
    if (waves.isEmpty()) {
        const std::optional<Inventory> &inventory = m_assessment->inventory();
        waves = TimelineGenerator::planWaves(inventory ? &*inventory : nullptr);
    }
    return waves;
}

QList<StageRef> TransferController::stages() const
{
    return gateConfig().stages();
}

Result<TransferConfig> TransferController::baseConfig() const
{
    TransferConfig c = gateConfig();
    c.source.platform = TargetPlatform::Mailchimp;
    if (m_assessment->isApiSource())
        ApiAssessor::parseDescriptor(m_assessment->files().constFirst(), &c.source.platform, &c.audienceId);
    if (c.audienceId.isEmpty() && m_connections->usesDemoSandbox()) {
        if (Result<SandboxHost *> host = SandboxHost::demo()) {
            if (const auto e = (*host)->endpoint(c.source.platform))
                c.audienceId = e->audienceId;
        }
    }
    const std::optional<TargetPlatform> target = m_mapping->target();
    if (!target || m_mapping->state() != FieldMappingController::State::Ready)
        return Error(m_mapping->stateText().isEmpty() ? tr("Choose the target platform first.")
                                                      : m_mapping->stateText(),
                     QString(), tr("The transfer writes what the Field mapping step says."));
    c.target.platform = *target;
    c.mapping = m_mapping->rows();
    c.listName = listName();
    const QString seeds = m_store->value(seedsKey()).toString();
    for (const QString &line : seeds.split(u'\n', Qt::SkipEmptyParts)) {
        if (!line.trimmed().isEmpty())
            c.seeds.append(line.trimmed());
    }
    c.batchSize = m_batchSize;
    c.autoApprove = m_autoApprove;
    c.approver = m_approver;
    return c;
}

TransferJournal TransferController::journal() const
{
    return TransferJournal(m_store->database());
}

namespace {

/// A stage's runs and the engine's gate for it, read without approving anything (`config` has
/// autoApprove off).
StageStatus readStatus(const TransferConfig &config, const StageRef &ref, TransferJournal &journal,
                       TransferEngineDetail::BackupCheck check)
{
    StageStatus s;
    s.ref = ref;
    s.lastRun = TransferEngineDetail::latestRun(journal, ref, false);
    s.lastDryRun = TransferEngineDetail::latestRun(journal, ref, true);
    s.blocked = TransferEngineDetail::gate(config, ref, journal, check);
    return s;
}

} // namespace

TransferConfig TransferController::gateConfig() const
{
    TransferConfig c;
    c.waves = wavePlan();
    c.projectPath = m_store->path();
    c.memo = m_memo;
    return c;
}

StageStatus TransferController::status(const StageRef &ref) const
{
    TransferJournal j = journal();
    // On this thread the backup's files are only compared with its manifest (the engine re-reads
    // them before it writes).
    return readStatus(gateConfig(), ref, j, TransferEngineDetail::BackupCheck::Quick);
}

void TransferController::statusLater(const StageRef &ref, const QObject *context,
                                     std::function<void(StageStatus)> done)
{
    auto *watcher = new QFutureWatcher<StageStatus>(this);
    connect(watcher, &QFutureWatcherBase::finished, context, [watcher, done = std::move(done)] {
        done(watcher->result());
    });
    connect(watcher, &QFutureWatcherBase::finished, watcher, &QObject::deleteLater);
    watcher->setFuture(QtConcurrent::run(jobPool(), [c = gateConfig(), ref] {
        ThreadConnection connection(c.projectPath);
        if (!connection.isOpen()) {
            StageStatus s;
            s.ref = ref;
            s.blocked = connection.error();
            return s;
        }
        TransferJournal j(connection.database());
        return readStatus(c, ref, j, TransferEngineDetail::BackupCheck::Full);
    }));
}

QList<StageStatus> TransferController::statuses() const
{
    const TransferConfig c = gateConfig();
    TransferJournal j = journal();
    QList<StageStatus> out;
    for (const StageRef &ref : c.stages())
        out.append(readStatus(c, ref, j, TransferEngineDetail::BackupCheck::Quick));
    return out;
}

QList<TransferRun> TransferController::interruptedRuns() const
{
    Result<QList<TransferRun>> runs = journal().unfinishedRuns();
    if (!runs)
        return {};
    QList<TransferRun> out;
    for (const TransferRun &r : std::as_const(runs.value())) {
        if (!r.dryRun)
            out.append(r);
    }
    return out;
}

void TransferController::setAutoApprove(bool on, const QString &approver)
{
    m_autoApprove = on;
    m_approver = approver;
}

Status TransferController::approve(const StageRef &ref, const QString &who, const QString &comment)
{
    if (m_running && *m_running == ref)
        return Error(tr("%1 is still running.").arg(ref.title()), QString(),
                     tr("Approve it once it has ended."));
    TransferJournal j = journal();
    const std::optional<TransferRun> run = TransferEngineDetail::latestRun(j, ref, false);
    if (!run || (run->state != RunState::Finished && run->state != RunState::Failed))
        return Error(tr("%1 has not finished: there is nothing to approve yet.").arg(ref.title()));
    if (run->counts.value(u"pending"_s).toInteger() > 0)
        return Error(tr("%1 stopped before every record was handled.").arg(ref.title()), QString(),
                     tr("Run it again to finish it, then approve it."));
    if (run->counts.value(u"consentViolations"_s).toInteger() > 0)
        return Error(tr("%1 found contacts more subscribed on the target than on the source: that "
                        "cannot be approved.")
                         .arg(ref.title()),
                     QString(), tr("Correct them on the target and run the stage again."));
    if (ref.isWave() && run->state == RunState::Failed && !run->counts.contains(u"foundOnTarget"_s))
        return Error(tr("%1 was not verified on the target.").arg(ref.title()), QString(),
                     tr("Run it again: it verifies what it wrote before it can be approved."));
    if (run->state == RunState::Failed && comment.trimmed().isEmpty())
        return Error(tr("%1 ended with errors.").arg(ref.title()), QString(),
                     tr("Say in the comment why the errors are accepted."));
    if (Status s = j.approve(run->id, who, comment); !s)
        return s;
    Q_EMIT journalChanged();
    return Status::success();
}

bool TransferController::start(const StageRef &ref, bool dryRun)
{
    if (m_running || m_starting)
        return false;
    Result<TransferConfig> config = baseConfig();
    if (!config) {
        Q_EMIT failed(config.error());
        return true;
    }
    m_starting = true;
    const StageRequest request{ref, dryRun};
    // The keys come from the keychain (or the demo sandbox) asynchronously, source then target.
    auto fail = [this](const Error &e) {
        m_starting = false;
        Q_EMIT failed(e);
    };
    m_connections->settings(
        config->source.platform,
        [this, config = *config, request, fail](Result<ConnectionSettings> source) mutable {
            if (!source)
                return fail(source.error());
            config.source = *source;
            m_connections->settings(
                config.target.platform,
                [this, config, request, fail](Result<ConnectionSettings> target) mutable {
                    if (!target)
                        return fail(target.error());
                    config.target = *target;
                    launch(std::move(config), request);
                },
                this);
        },
        this);
    return true;
}

void TransferController::launch(TransferConfig config, const StageRequest &request)
{
    m_starting = false;
    if (!m_network)
        m_network = std::make_unique<NetworkThread>();
    config.memo = m_memo;
    m_engine = std::make_unique<TransferEngine>(std::move(config), m_network->client());
    m_control = std::make_unique<TransferControl>();
    m_running = request.ref;
    m_paused = false;
    m_progress = TransferProgress{};
    m_progress.stage = request.ref.stage;
    m_progress.wave = request.ref.wave;

    TransferObserver observer;
    observer.progress = queuedTo(this, [](TransferController *self, const TransferProgress &p) {
        self->m_progress = p;
        Q_EMIT self->progressChanged(p);
    });
    observer.log = queuedTo(this, [](TransferController *self, const QString &line) {
        Q_EMIT self->logLine(line);
    });
    TransferEngine *engine = m_engine.get();
    TransferControl *control = m_control.get();
    m_watcher.setFuture(QtConcurrent::run(&m_pool, [engine, control, request, observer] {
        return engine->run(request, *control, observer);
    }));
    Q_EMIT started(request.ref, request.dryRun);
    Q_EMIT journalChanged();
}

void TransferController::pause()
{
    if (!m_control || m_paused)
        return;
    m_control->pause();
    m_paused = true;
    Q_EMIT pausedChanged(true);
}

void TransferController::resume()
{
    if (!m_control || !m_paused)
        return;
    m_control->resume();
    m_paused = false;
    Q_EMIT pausedChanged(false);
}

void TransferController::cancel()
{
    if (m_control)
        m_control->cancel();
}

void TransferController::onWorkerFinished()
{
    const QFuture<Result<StageOutcome>> future = m_watcher.future();
    m_running.reset();
    const bool wasPaused = m_paused;
    m_paused = false;
    if (wasPaused)
        Q_EMIT pausedChanged(false);
    if (future.resultCount() == 0) {
        Q_EMIT failed(Error(tr("The stage stopped without an answer.")));
    } else {
        const Result<StageOutcome> outcome = future.result();
        if (outcome)
            Q_EMIT finished(*outcome);
        else
            Q_EMIT failed(outcome.error());
    }
    Q_EMIT journalChanged();
}
