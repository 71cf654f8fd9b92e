#include "transfer/transferengine.h"

#include "connectors/connectorfactory.h"
#include "core/threadpriority.h"
#include "store/projectstore.h"
#include "transfer/backupreader.h"
#include "transfer/backupwriter.h"
#include "transfer/initialsetup.h"
#include "transfer/transferengine_p.h"

#include <QDir>
#include <QFileInfo>
#include <QFuture>
#include <QLocale>
#include <QLoggingCategory>
#include <QThread>

using namespace Qt::StringLiterals;

Q_LOGGING_CATEGORY(lcTransfer, "stagecoach.transfer", QtWarningMsg)

using namespace TransferEngineDetail;

TransferEngine::Context::Context(const StageRequest &request_, TransferControl &control_,
                                 const TransferObserver &observer_, TransferJournal &journal_)
    : request(request_), control(control_), observer(observer_), journal(journal_)
{
    clock.start();
    progress.stage = request.ref.stage;
    progress.wave = request.ref.wave;
}

void TransferEngine::Context::log(const QString &line) const
{
    qCInfo(lcTransfer).noquote() << line;
    if (observer.log)
        observer.log(line);
}

void TransferEngine::Context::report(bool force)
{
    const qint64 now = clock.elapsed();
    if (!force && m_lastReportMs >= 0 && now - m_lastReportMs < 100)
        return;
    m_lastReportMs = now;
    // The rate over the last five seconds, so that it follows the platform's pace.
    m_samples.append({now, progress.done});
    // Keep one sample from before the window, so that a batch that took longer than the window
    // still counts.
    while (m_samples.size() > 2 && now - m_samples.at(1).first >= 5000)
        m_samples.removeFirst();
    const auto &[t0, d0] = m_samples.first();
    if (now > t0)
        progress.rate = double(progress.done - d0) * 1000.0 / double(now - t0);
    progress.etaSeconds = (progress.total >= 0 && progress.rate > 0)
        ? qint64(double(std::max<qint64>(0, progress.total - progress.done)) / progress.rate + 0.5)
        : -1;
    progress.elapsedMs = now;
    if (observer.progress)
        observer.progress(progress);
}

bool TransferEngine::Context::holdIfPaused(qint64 runId, const QJsonObject &counts)
{
    if (control.isCancelled())
        return false;
    if (!control.isPauseRequested())
        return true;
    if (runId && !request.dryRun)
        (void)journal.finishRun(runId, RunState::Paused, counts);
    log(tr("Paused. Nothing is in flight; Resume goes on where it stopped."));
    progress.paused = true;
    report(true);
    const bool resumed = control.waitWhilePaused();
    progress.paused = false;
    if (!resumed)
        return false;
    if (runId && !request.dryRun)
        (void)journal.finishRun(runId, RunState::Running, counts);
    log(tr("Resumed."));
    report(true);
    return true;
}

std::optional<TransferRun> TransferEngineDetail::latestRun(TransferJournal &journal, const StageRef &ref,
                                                           bool dryRun)
{
    Result<QList<TransferRun>> runs = journal.runs(ref.stage);
    if (!runs)
        return std::nullopt;
    for (auto it = runs->crbegin(); it != runs->crend(); ++it) {
        if (it->wave == ref.wave && it->dryRun == dryRun)
            return *it;
    }
    return std::nullopt;
}

Result<QString> TransferEngineDetail::verifiedBackup(TransferJournal &journal, BackupCheck check,
                                                     TransferMemo *memo)
{
    const std::optional<TransferRun> backup = latestRun(journal, StageRef{u"backup"_s, 0});
    if (!backup || backup->state != RunState::Finished)
        return Error(TransferEngine::tr("There is no finished backup of the source."), QString(),
                     TransferEngine::tr("Run the Backup stage first: nothing is written to the "
                                        "target without a verified backup."));
    const QString folder = backup->counts.value(u"detail"_s).toString();
    if (check == BackupCheck::Full && memo && memo->isVerified(folder))
        return folder;
    Result<BackupManifest> manifest = check == BackupCheck::Full ? BackupReader::verify(folder)
                                                                 : BackupManifest::load(folder);
    if (manifest && check == BackupCheck::Quick) {
        for (const BackupFileEntry &f : std::as_const(manifest->files)) {
            if (QFileInfo(QDir(folder).filePath(f.name)).size() != f.bytes) {
                manifest = Error(TransferEngine::tr("%1 is not the size the manifest records.").arg(f.name));
                break;
            }
        }
    }
    if (!manifest)
        return Error(TransferEngine::tr("The backup no longer verifies: %1")
                         .arg(manifest.error().summary()),
                     folder, TransferEngine::tr("Run the Backup stage again."));
    if (check == BackupCheck::Full && memo)
        memo->setVerified(folder, *manifest);
    return folder;
}

TransferEngine::TransferEngine(TransferConfig config, HttpClient &client)
    : m_config(std::move(config)), m_client(client)
{
}

TransferEngine::~TransferEngine() = default;

std::optional<Error> TransferEngine::gate(const StageRef &ref, TransferJournal &journal) const
{
    return TransferEngineDetail::gate(m_config, ref, journal);
}

std::optional<Error> TransferEngineDetail::gate(const TransferConfig &config, const StageRef &ref,
                                                TransferJournal &journal, BackupCheck check,
                                                QString *verifiedFolder)
{
    using T = TransferEngine;
    const QList<StageRef> order = config.stages();
    const qsizetype at = order.indexOf(ref);
    if (at < 0)
        return Error(T::tr("There is no stage \"%1\" in this migration.").arg(ref.id()), QString(),
                     T::tr("The stages are backup, setup, wave-0 and wave-1 to wave-%1.")
                         .arg(config.lastWave()));
    if (at == 0) {
        // The waves read the backup the transfer started from: a new one would move contacts
        // between waves part-way through.
        for (const QString &stage : {u"suppressions"_s, u"wave"_s}) {
            const Result<QList<TransferRun>> runs = journal.runs(stage);
            for (const TransferRun &r : runs ? runs.value() : QList<TransferRun>()) {
                if (!r.dryRun)
                    return Error(T::tr("The transfer has started from the backup already made."),
                                 QString(),
                                 T::tr("A new backup would change which contacts each wave writes; "
                                       "its files stay in the project's archive."));
            }
        }
        return std::nullopt;
    }
    if (ref.stage != u"setup"_s) {
        // Writing contacts needs the backup they are written from.
        Result<QString> folder = verifiedBackup(journal, check, config.memo.get());
        if (!folder)
            return folder.error();
        if (verifiedFolder)
            *verifiedFolder = *folder;
    }
    const StageRef previous = order.at(at - 1);
    std::optional<TransferRun> run = latestRun(journal, previous);
    if (!run || (run->state != RunState::Finished && run->state != RunState::Failed))
        return Error(T::tr("%1 has not finished.").arg(previous.title()), QString(),
                     T::tr("Run it first: the stages go in order."));
    if (run->counts.value(u"pending"_s).toInteger() > 0 || run->counts.isEmpty())
        return Error(T::tr("%1 stopped before every record was written.").arg(previous.title()),
                     QString(), T::tr("Run it again to finish it."));
    if (!run->approvedAt.isValid()) {
        if (config.autoApprove && run->state == RunState::Finished) {
            if (Status s = journal.approve(run->id, config.approver,
                                           T::tr("Approved automatically: finished without errors."));
                !s)
                return s.error();
            return std::nullopt;
        }
        const QString why = run->state == RunState::Failed
            ? T::tr("%1 ended with errors (%2).")
                  .arg(previous.title(), run->counts.value(u"message"_s).toString())
            : T::tr("%1 has not been approved.").arg(previous.title());
        return Error(why, QString(),
                     run->state == RunState::Failed
                         ? T::tr("Fix what the error report says and run it again, or approve it with a "
                              "comment that says why the errors are accepted.")
                         : T::tr("Review it and approve it before the next stage starts."));
    }
    return std::nullopt;
}

Result<StageOutcome> TransferEngine::run(const StageRequest &request, TransferControl &control,
                                         const TransferObserver &observer)
{
    // Bulk work: the network thread and the GUI come first when they wake (core/threadpriority.h).
    ThreadPriority::lowerCurrentThread();
    ThreadConnection connection(m_config.projectPath);
    if (!connection.isOpen())
        return connection.error();
    TransferJournal journal(connection.database());
    QString verified;
    if (!request.dryRun) {
        if (auto refused = TransferEngineDetail::gate(m_config, request.ref, journal,
                                                      TransferEngineDetail::BackupCheck::Full, &verified))
            return *refused;
    } else if (request.ref.isWave()) {
        Result<QString> folder = verifiedBackup(journal, TransferEngineDetail::BackupCheck::Full,
                                                m_config.memo.get());
        if (!folder)
            return Error(folder.error().message, folder.error().where,
                         tr("Run the Backup stage first: the dry run reads what the backup holds."));
        verified = *folder;
    }
    Context ctx(request, control, observer, journal);
    ctx.verifiedFolder = verified;
    ctx.log(request.dryRun ? tr("%1: dry run started.").arg(request.ref.title())
                           : tr("%1 started.").arg(request.ref.title()));
    Result<StageOutcome> outcome = request.ref.stage == u"backup"_s ? runBackup(ctx)
        : request.ref.stage == u"setup"_s                           ? runSetup(ctx)
                                                                    : runWave(ctx);
    if (outcome) {
        outcome->elapsedMs = ctx.clock.elapsed();
        ctx.log(outcome->summary());
    }
    return outcome;
}

namespace {

/// Closes earlier runs of a one-shot stage (backup, setup) that never ended: they start afresh.
void closeInterrupted(TransferJournal &journal, const StageRef &ref)
{
    Result<QList<TransferRun>> runs = journal.runs(ref.stage);
    if (!runs)
        return;
    for (const TransferRun &r : std::as_const(runs.value())) {
        if (!r.dryRun && (r.state == RunState::Running || r.state == RunState::Paused)) {
            QJsonObject counts = r.counts;
            counts.insert(u"message"_s, TransferEngine::tr("Interrupted; started again."));
            (void)journal.finishRun(r.id, RunState::Failed, counts);
        }
    }
}

/// Ends a run in the journal with its outcome and returns the outcome (or the journal's Error).
Result<StageOutcome> finish(TransferJournal &journal, StageOutcome outcome)
{
    if (Status s = journal.finishRun(outcome.runId, outcome.state, outcome.toJson()); !s)
        return s.error();
    return outcome;
}

} // namespace

Result<StageOutcome> TransferEngine::runBackup(Context &ctx)
{
    std::unique_ptr<SourceConnector> source = ConnectorFactory::source(m_config.source, m_client);
    StageOutcome out;
    out.ref = ctx.request.ref;
    out.dryRun = ctx.request.dryRun;
    ctx.progress.phase = tr("Reading %1").arg(TargetPlatforms::displayName(m_config.source.platform));
    // The audience: the one assessed, else the account's largest.
    QString audienceId = m_config.audienceId;
    {
        auto audiences = ctx.wait(source->audiences());
        if (std::holds_alternative<AwaitCancelled>(audiences))
            return Error(tr("The backup was cancelled before it started."));
        if (auto *e = std::get_if<Error>(&audiences))
            return *e;
        const Audience *chosen = nullptr;
        for (const Audience &a : std::get<QList<Audience>>(audiences)) {
            if (a.id == audienceId || (audienceId.isEmpty() && (!chosen || a.contacts > chosen->contacts)))
                chosen = &a;
        }
        if (!chosen)
            return Error(audienceId.isEmpty()
                             ? tr("The %1 account has no audience to back up.")
                                   .arg(TargetPlatforms::displayName(m_config.source.platform))
                             : tr("The audience %1 is not in the %2 account.")
                                   .arg(audienceId, TargetPlatforms::displayName(m_config.source.platform)),
                         QString(), tr("Check the key on the Connections step and the assessment's source."));
        audienceId = chosen->id;
        out.total = chosen->contacts;
        out.byStatus = chosen->byStatus;
        out.detail = chosen->name;
    }
    if (out.dryRun) {
        Result<qint64> runId = ctx.journal.beginRun(out.ref.stage, 0, true);
        if (!runId)
            return runId.error();
        out.runId = *runId;
        out.state = RunState::Finished;
        out.message = tr("Would back up every contact of \"%1\", its field definitions, templates and "
                         "campaign reports into %2.")
                          .arg(out.detail, BackupWriter::archiveFolder(m_config.projectPath));
        return finish(ctx.journal, out);
    }

    closeInterrupted(ctx.journal, out.ref);
    Result<qint64> runId = ctx.journal.beginRun(out.ref.stage, 0, false);
    if (!runId)
        return runId.error();
    out.runId = *runId;
    QFuture<Result<BackupManifest>> future
        = BackupWriter::start(*source, audienceId, m_config.projectPath);
    bool suspended = false;
    while (!future.isFinished()) {
        if (ctx.control.isCancelled()) {
            future.cancel();
            future.waitForFinished();
            out.state = RunState::Cancelled;
            out.message = tr("Cancelled; the unfinished backup was removed.");
            return finish(ctx.journal, out);
        }
        if (ctx.control.isPauseRequested() && !suspended) {
            future.suspend(); // the backup stops between pages
            suspended = true;
            (void)ctx.journal.finishRun(out.runId, RunState::Paused, out.toJson());
            ctx.progress.paused = true;
            ctx.log(tr("Paused between two pages."));
        } else if (!ctx.control.isPauseRequested() && suspended) {
            future.resume();
            suspended = false;
            (void)ctx.journal.finishRun(out.runId, RunState::Running, out.toJson());
            ctx.progress.paused = false;
            ctx.log(tr("Resumed."));
        }
        ctx.progress.done = future.progressValue();
        ctx.progress.written = ctx.progress.done;
        ctx.progress.total = future.progressMaximum() > 1 ? future.progressMaximum() : -1;
        ctx.report();
        QThread::msleep(20);
    }
    if (future.resultCount() == 0) {
        out.state = RunState::Cancelled;
        out.message = tr("Cancelled; the unfinished backup was removed.");
        return finish(ctx.journal, out);
    }
    const Result<BackupManifest> manifest = future.result();
    if (!manifest) {
        out.state = RunState::Failed;
        out.message = manifest.error().toString();
        return finish(ctx.journal, out);
    }
    ctx.progress.phase = tr("Verifying the backup");
    ctx.report(true);
    const Result<BackupManifest> verified = BackupReader::verify(manifest->folder);
    out.detail = manifest->folder;
    out.total = manifest->contacts();
    out.written = out.total;
    out.byStatus = manifest->contactsByStatus;
    if (!verified) {
        out.state = RunState::Failed;
        out.message = tr("The backup was written but does not verify: %1").arg(verified.error().toString());
        return finish(ctx.journal, out);
    }
    out.verified = true;
    out.state = RunState::Finished;
    ctx.progress.done = out.total;
    ctx.progress.total = out.total;
    ctx.report(true);
    ctx.log(tr("Backup written to %1 and verified (SHA-256 of every file, %2 contacts).")
                .arg(manifest->folder, QLocale().toString(out.total)));
    return finish(ctx.journal, out);
}

Result<StageOutcome> TransferEngine::runSetup(Context &ctx)
{
    StageOutcome out;
    out.ref = ctx.request.ref;
    out.dryRun = ctx.request.dryRun;
    const QList<FieldSpec> fields = InitialSetup::requiredFields(m_config.mapping, m_config.target.platform);
    ctx.progress.phase = tr("Preparing %1").arg(TargetPlatforms::displayName(m_config.target.platform));
    ctx.progress.total = fields.size() + 1;
    ctx.report(true);
    if (!out.dryRun)
        closeInterrupted(ctx.journal, out.ref);
    Result<qint64> runId = ctx.journal.beginRun(out.ref.stage, 0, out.dryRun);
    if (!runId)
        return runId.error();
    out.runId = *runId;

    std::unique_ptr<SourceConnector> reader = ConnectorFactory::source(m_config.target, m_client);
    std::unique_ptr<TargetConnector> writer = ConnectorFactory::target(m_config.target, m_client);
    for (;;) {
        auto answer = ctx.wait(out.dryRun ? InitialSetup::dryRun(*reader, m_config.listName, fields)
                                          : InitialSetup::run(*writer, m_config.listName, fields));
        if (std::holds_alternative<AwaitCancelled>(answer)) {
            // Setup is idempotent: after a pause it is simply run again.
            if (ctx.holdIfPaused(out.runId, out.toJson()))
                continue;
            out.state = RunState::Cancelled;
            out.message = tr("Cancelled; what was created stays and is found again next time.");
            return finish(ctx.journal, out);
        }
        if (auto *e = std::get_if<Error>(&answer)) {
            out.state = RunState::Failed;
            out.message = e->toString();
            return finish(ctx.journal, out);
        }
        const SetupReport &report = std::get<SetupReport>(answer);
        out.created = report.createdCount();
        out.existing = report.existingCount();
        out.detail = report.listId();
        for (const SetupItem &item : report.items) {
            const QString kind = item.kind == SetupItem::Kind::List ? tr("List") : tr("Field");
            ctx.log(item.exists ? tr("%1 \"%2\": already there.").arg(kind, item.name)
                    : out.dryRun ? tr("%1 \"%2\": would be created.").arg(kind, item.name)
                                 : tr("%1 \"%2\": created.").arg(kind, item.name));
        }
        break;
    }
    out.total = out.created + out.existing;
    out.written = out.dryRun ? 0 : out.created;
    out.verified = !out.dryRun;
    out.state = RunState::Finished;
    ctx.progress.done = ctx.progress.total;
    ctx.report(true);
    return finish(ctx.journal, out);
}
