#pragma once

#include "core/result.h"
#include "transfer/stageoutcome.h"
#include "transfer/transferconfig.h"
#include "transfer/transfercontrol.h"
#include "transfer/transferprogress.h"

#include <QFutureWatcher>
#include <QObject>
#include <QThreadPool>

#include <functional>
#include <memory>
#include <optional>

class AssessmentController;
class ConnectionController;
class FieldMappingController;
class NetworkThread;
class PlanController;
class ProjectStore;
class TransferJournal;

/** A stage as the execution steps show it: its last runs and whether it may start. */
struct StageStatus
{
    StageRef ref;
    std::optional<TransferRun> lastRun;    ///< the newest real run
    std::optional<TransferRun> lastDryRun;
    std::optional<Error> blocked;          ///< why a real run cannot start now; nullopt: it can
};

/**
 * The execution steps without their widgets (issue 5): the project's stages (backup, setup,
 * wave 0, waves 1..N from the timeline), their journaled state, and one stage at a time running
 * in the background through the TransferEngine, with Pause, Resume and Cancel, progress (at most
 * ~10 updates a second) and a log. Approvals are recorded with who, when and a comment.
 *
 * Owned by the ProjectSession, not by a page, so that a running stage survives leaving the page.
 * The worker thread opens its own connection to the project file; the journal is read here on
 * the GUI thread's.
 */
class TransferController : public QObject
{
    Q_OBJECT

public:
    TransferController(ProjectStore *store, ConnectionController *connections,
                       AssessmentController *assessment, FieldMappingController *mapping,
                       PlanController *plan, QObject *parent = nullptr);
    /// Cancels a running stage and waits for it to stop (the journal stays consistent).
    ~TransferController() override;

    /// The stages of this project in order (the waves as the timeline plans them).
    QList<StageRef> stages() const;
    StageStatus status(const StageRef &ref) const;
    /**
     * status() read off the GUI thread, on a connection of its own: it verifies the backup, which
     * reads the whole file (about a second for 100,000 contacts). `done` gets it on this object's
     * thread, never once `context` is gone.
     */
    void statusLater(const StageRef &ref, const QObject *context, std::function<void(StageStatus)> done);
    QList<StageStatus> statuses() const;
    /// Runs interrupted by a crash or a kill (or left paused), for the offer to resume them.
    QList<TransferRun> interruptedRuns() const;
    /// The project's journal (GUI thread), e.g. for the error report.
    TransferJournal journal() const;

    bool isRunning() const { return m_running.has_value(); }
    std::optional<StageRef> runningStage() const { return m_running; }
    bool isPaused() const { return m_paused; }
    const TransferProgress &lastProgress() const { return m_progress; }

    /**
     * Starts a stage in the background (a dry run writes nothing). Reads the keys from the
     * keychain first; failures come as failed(). Refused (false) while another stage runs.
     */
    bool start(const StageRef &ref, bool dryRun = false);
    void pause();
    void resume();
    void cancel();

    /// Records the approval of the stage's last run (who, now, comment). A run that stopped before
    /// every record was handled, or that found consent violations, cannot be approved.
    Status approve(const StageRef &ref, const QString &who, const QString &comment);

    /// Approve stages that finished cleanly automatically (stagecoach run --yes).
    void setAutoApprove(bool on, const QString &approver);
    /// Overrides the batch size (0: the target's largest) - for tests and benchmarks.
    void setBatchSize(int size) { m_batchSize = size; }

    /// The migration's list on the target: setting "transfer.listName", else the project's name.
    QString listName() const;
    static QString listNameKey(); ///< "transfer.listName"
    static QString seedsKey();    ///< "transfer.seeds": test or seed addresses, one per line
    /// The user's name for approvals (the system's login name).
    static QString currentUser();

Q_SIGNALS:
    void started(const StageRef &ref, bool dryRun);
    void progressChanged(const TransferProgress &progress);
    void logLine(const QString &line);
    void pausedChanged(bool paused);
    /// The stage ended (finished, failed, cancelled): its outcome is journaled.
    void finished(const StageOutcome &outcome);
    /// The stage could not start, or stopped on an Error before its run was journaled.
    void failed(const Error &error);
    /// Runs or approvals changed: statuses() reads differently.
    void journalChanged();

private:
    void launch(TransferConfig config, const StageRequest &request);
    Result<TransferConfig> baseConfig() const;
    QList<WavePlan> wavePlan() const;
    /// What the gate needs of the project: its file and its waves.
    TransferConfig gateConfig() const;
    void onWorkerFinished();

    ProjectStore *m_store;
    ConnectionController *m_connections;
    AssessmentController *m_assessment;
    FieldMappingController *m_mapping;
    PlanController *m_plan;
    QThreadPool m_pool; // the engine's one worker thread
    std::unique_ptr<NetworkThread> m_network;
    std::unique_ptr<class TransferEngine> m_engine;
    /// What the stages of this session verified and assigned once (the backup, the waves).
    std::shared_ptr<TransferMemo> m_memo;
    std::unique_ptr<TransferControl> m_control;
    QFutureWatcher<Result<StageOutcome>> m_watcher;
    std::optional<StageRef> m_running;
    bool m_starting = false;
    bool m_paused = false;
    TransferProgress m_progress;
    bool m_autoApprove = false;
    QString m_approver;
    int m_batchSize = 0;
};
