#include "runcommand.h"

#include "commandline.h"
#include "assessment/assessmentcontroller.h"
#include "connectors/connectioncontroller.h"
#include "plan/plancontroller.h"
#include "project/demoproject.h"
#include "project/projectsession.h"
#include "project/referencedata.h"
#include "sandbox/sandboxhost.h"
#include "store/projectstore.h"
#include "transfer/transfercontroller.h"
#include "transfer/transferjournal.h"

#include <QCommandLineParser>
#include <QCoreApplication>
#include <QDir>
#include <QElapsedTimer>
#include <QLocale>
#include <QTemporaryDir>
#include <QTextStream>
#include <QTimer>

using namespace Qt::StringLiterals;

namespace {

QString tr(const char *s)
{
    return QCoreApplication::translate("RunCommand", s);
}

QString duration(qint64 seconds)
{
    if (seconds < 0)
        return u"?"_s;
    if (seconds < 120)
        return u"%1 s"_s.arg(seconds);
    return u"%1 min"_s.arg((seconds + 30) / 60);
}

/** Runs stages one after another through the TransferController, printing as it goes. */
class Runner : public QObject
{
public:
    Runner(TransferController *transfer, QList<StageRef> stages, bool dryRun, bool skipFinished)
        : m_transfer(transfer), m_stages(std::move(stages)), m_dryRun(dryRun), m_skipFinished(skipFinished)
    {
        connect(transfer, &TransferController::progressChanged, this, &Runner::onProgress);
        connect(transfer, &TransferController::logLine, this, [this](const QString &line) {
            m_out << u"  "_s << line << Qt::endl;
        });
        connect(transfer, &TransferController::finished, this, &Runner::onFinished);
        connect(transfer, &TransferController::failed, this, [this](const Error &e) {
            m_err << u"stagecoach: "_s << m_stages.value(m_next - 1).title() << u": "_s << e.toString() << Qt::endl;
            m_failed = true;
            QCoreApplication::exit(1);
        });
    }

    void start() { next(); }
    bool failed() const { return m_failed; }
    const QList<StageOutcome> &outcomes() const { return m_outcomes; }

private:
    void next()
    {
        while (m_next < m_stages.size()) {
            const StageRef ref = m_stages.at(m_next++);
            const StageStatus status = m_transfer->status(ref);
            if (m_skipFinished && !m_dryRun && status.lastRun && status.lastRun->state == RunState::Finished) {
                m_out << tr("%1: already finished.").arg(ref.title()) << Qt::endl;
                continue;
            }
            m_out << (m_dryRun ? tr("%1: dry run").arg(ref.title()) : ref.title()) << Qt::endl;
            m_progressClock.invalidate();
            m_transfer->start(ref, m_dryRun);
            return;
        }
        QCoreApplication::exit(m_failed ? 1 : 0);
    }

    void onProgress(const TransferProgress &p)
    {
        // A line a second at most: scripts and logs read it.
        if (m_progressClock.isValid() && m_progressClock.elapsed() < 1000)
            return;
        m_progressClock.start();
        const QLocale l;
        QString line = u"  "_s + p.phase;
        if (p.total >= 0)
            line += u": %1 / %2"_s.arg(l.toString(p.done), l.toString(p.total));
        else
            line += u": %1"_s.arg(l.toString(p.done));
        if (p.rate > 0)
            line += tr(", %1/s").arg(l.toString(qint64(p.rate)));
        if (p.etaSeconds >= 0)
            line += tr(", %1 left").arg(duration(p.etaSeconds));
        if (p.failed)
            line += tr(", %1 rejected").arg(l.toString(p.failed));
        m_out << line << Qt::endl;
    }

    void onFinished(const StageOutcome &outcome)
    {
        m_outcomes.append(outcome); // its summary line came through the log
        if (outcome.state != RunState::Finished) {
            m_err << u"stagecoach: "_s << outcome.ref.title() << u": "_s
                  << (outcome.message.isEmpty() ? TransferJournal::stateKey(outcome.state) : outcome.message)
                  << Qt::endl;
            m_failed = true;
            QCoreApplication::exit(1);
            return;
        }
        // Back to the event loop first: the controller has not cleared its running stage yet.
        QTimer::singleShot(0, this, &Runner::next);
    }

    TransferController *m_transfer;
    QList<StageRef> m_stages;
    bool m_dryRun;
    bool m_skipFinished;
    qsizetype m_next = 0;
    bool m_failed = false;
    QList<StageOutcome> m_outcomes;
    QElapsedTimer m_progressClock;
    QTextStream m_out{stdout};
    QTextStream m_err{stderr};
};

/// The demo's source read through the sandbox's API, the target chosen: what the wizard's
/// first steps do, headless. Runs the event loop until the assessment ends.
Status prepareDemo(ProjectSession &session, TargetPlatform target)
{
    std::optional<Error> error;
    bool done = false;
    QObject context;
    QObject::connect(session.assessment(), &AssessmentController::stateChanged, &context,
                     [&](AssessmentController::State state) {
                         if (state == AssessmentController::State::Ready) {
                             done = true;
                             QCoreApplication::exit(0);
                         }
                     });
    QObject::connect(session.assessment(), &AssessmentController::failed, &context, [&](const Error &e) {
        error = e;
        QCoreApplication::exit(1);
    });
    session.connections()->settings(
        TargetPlatform::Mailchimp,
        [&](Result<ConnectionSettings> settings) {
            if (!settings) {
                error = settings.error();
                QCoreApplication::exit(1);
                return;
            }
            Result<SandboxHost *> host = SandboxHost::demo();
            const auto endpoint = host ? (*host)->endpoint(TargetPlatform::Mailchimp) : std::nullopt;
            session.assessment()->assessFromApi(*settings, endpoint ? endpoint->audienceId : QString());
        },
        &context);
    QCoreApplication::exec();
    if (error)
        return *error;
    if (!done)
        return Error(tr("The demo audience could not be read."));
    if (!session.plan()->choose(TargetPlatforms::key(target), tr("Demo rehearsal (stagecoach run --demo).")))
        return Error(tr("The target could not be chosen."));
    if (!session.plan()->generateTimeline())
        return Error(tr("The demo's timeline could not be generated."));
    return Status::success();
}

} // namespace

int runRunCommand(const QStringList &arguments)
{
    using CommandLine::fail;
    QCommandLineParser parser;
    parser.setApplicationDescription(
        tr("Runs a project's transfer stages without a window: backup, initial setup, wave 0 (every "
           "suppression) and the subscriber waves, each journaled and resumable."));
    parser.addHelpOption();
    parser.addPositionalArgument(u"run"_s, tr("The sub-command."));
    parser.addPositionalArgument(u"project"_s, tr("The .stagecoach project (not with --demo)."), u"[PROJECT]"_s);
    const QCommandLineOption stage(u"stage"_s, tr("Run only this stage: backup, setup, suppressions or wave."), u"NAME"_s);
    const QCommandLineOption wave(u"wave"_s, tr("With --stage wave: the wave's number (1..N)."), u"N"_s);
    const QCommandLineOption dryRun(u"dry-run"_s, tr("Show what the stages would write; write nothing."));
    const QCommandLineOption yes(u"yes"_s, tr("Approve each stage that finished without errors before the next starts."));
    const QCommandLineOption demo(u"demo"_s, tr("Rehearse the whole demo migration against the built-in sandbox."));
    const QCommandLineOption target(u"target"_s, tr("With --demo: brevo (default) or klaviyo."), u"PLATFORM"_s);
    const QCommandLineOption batch(u"batch-size"_s, tr("Contacts per request (default: the platform's largest)."), u"N"_s);
    parser.addOptions({stage, wave, dryRun, yes, demo, target, batch});
    if (!parser.parse(arguments))
        return fail(parser.errorText(), 2);
    if (parser.isSet(u"help"_s)) {
        QTextStream(stdout) << parser.helpText();
        return 0;
    }
    const QStringList positional = parser.positionalArguments();
    const bool isDemo = parser.isSet(demo);
    if ((isDemo && positional.size() != 1) || (!isDemo && positional.size() != 2))
        return fail(tr("usage: stagecoach run PROJECT [--stage NAME] [--wave N] [--dry-run] [--yes], "
                       "or stagecoach run --demo [--target brevo|klaviyo]"),
                    2);
    TargetPlatform demoTarget = TargetPlatform::Brevo;
    if (parser.isSet(target)) {
        const auto t = TargetPlatforms::fromKey(parser.value(target).toLower());
        if (!t || *t == TargetPlatform::Mailchimp)
            return fail(tr("--target takes brevo or klaviyo."), 2);
        demoTarget = *t;
    }
    int batchSize = 0;
    if (parser.isSet(batch)) {
        bool ok = false;
        batchSize = parser.value(batch).toInt(&ok);
        if (!ok || batchSize < 1)
            return fail(tr("--batch-size takes a number of contacts."), 2);
    }
    std::optional<StageRef> only;
    if (parser.isSet(stage)) {
        const QString name = parser.value(stage).toLower();
        if (name == u"wave"_s) {
            bool ok = false;
            const int n = parser.value(wave).toInt(&ok);
            if (!parser.isSet(wave) || !ok || n < 0)
                return fail(tr("--stage wave needs --wave N."), 2);
            only = StageRef::fromId(u"wave-%1"_s.arg(n));
        } else {
            only = StageRef::fromId(name);
        }
        if (!only)
            return fail(tr("unknown stage \"%1\": backup, setup, suppressions or wave.").arg(name), 2);
    } else if (parser.isSet(wave)) {
        return fail(tr("--wave goes with --stage wave."), 2);
    }

    Result<ReferenceData> data = ReferenceData::load();
    if (!data)
        return fail(data.error().toString());

    // The demo runs on a fresh copy of the demo project, so that it always starts from the
    // beginning against the fresh sandbox (the user's own demo project is left alone).
    QTemporaryDir demoFolder;
    QString projectPath;
    if (isDemo) {
        Result<SandboxHost *> host = SandboxHost::demo();
        if (!host)
            return fail(host.error().toString());
        if (!demoFolder.isValid())
            return fail(tr("no temporary folder for the demo project."));
        Result<DemoProject::Paths> paths
            = DemoProject::ensure(demoFolder.path(), u":/demo/mailchimp-demo-export.zip"_s);
        if (!paths)
            return fail(paths.error().toString());
        projectPath = paths->project;
        QTextStream(stdout) << tr("Demo: the sandbox's Mailchimp audience into %1, project %2")
                                   .arg(TargetPlatforms::displayName(demoTarget), QDir::toNativeSeparators(projectPath))
                            << Qt::endl;
    } else {
        projectPath = QDir::current().absoluteFilePath(positional.at(1));
    }
    Result<std::unique_ptr<ProjectStore>> store = ProjectStore::open(projectPath);
    if (!store)
        return fail(store.error().toString());
    ProjectSession session(std::move(store).value(), &data.value());
    if (isDemo) {
        if (Status s = prepareDemo(session, demoTarget); !s)
            return fail(s.error().toString());
    }
    TransferController *transfer = session.transfer();
    transfer->setBatchSize(batchSize);
    if (parser.isSet(yes) || isDemo)
        transfer->setAutoApprove(true, tr("%1 (stagecoach run --yes)").arg(TransferController::currentUser()));

    const QList<StageRef> all = transfer->stages();
    if (only && !all.contains(*only))
        return fail(tr("this project has no stage %1 (its waves are 1 to %2).").arg(only->id()).arg(all.size() - 3));
    Runner runner(transfer, only ? QList<StageRef>{*only} : all, parser.isSet(dryRun), !only);
    QTimer::singleShot(0, &runner, &Runner::start);
    const int status = QCoreApplication::exec();

    if (isDemo) {
        QTextStream out(stdout);
        out << Qt::endl << tr("Summary") << Qt::endl;
        qint64 violations = 0;
        QDateTime suppressionsEnd, firstSubscriberStart;
        for (const StageOutcome &o : runner.outcomes()) {
            out << u"  "_s << o.summary() << Qt::endl;
            violations += std::max<qint64>(0, o.consentViolations);
        }
        const Result<QList<TransferRun>> runs = transfer->journal().runs();
        if (runs) {
            for (const TransferRun &r : runs.value()) {
                if (r.dryRun)
                    continue;
                if (r.stage == u"suppressions"_s && r.state == RunState::Finished)
                    suppressionsEnd = r.finishedAt;
                if (r.stage == u"wave"_s && (!firstSubscriberStart.isValid() || r.startedAt < firstSubscriberStart))
                    firstSubscriberStart = r.startedAt;
            }
        }
        const bool suppressionsFirst = suppressionsEnd.isValid()
            && (!firstSubscriberStart.isValid() || suppressionsEnd <= firstSubscriberStart);
        out << tr("Suppressions first: %1").arg(suppressionsFirst ? tr("yes") : tr("no")) << Qt::endl;
        out << tr("Consent violations: %1").arg(violations) << Qt::endl;
        if (!suppressionsFirst || violations > 0)
            return 1;
    }
    return status == 0 && !runner.failed() ? 0 : 1;
}
