#pragma once

// The engine's working state for one run, shared by its stage implementations.

#include "connectors/await.h"
#include "transfer/transferengine.h"
#include "transfer/transferjournal.h"
#include "transfer/transfermemo.h"

#include <QElapsedTimer>
#include <QList>
#include <QPair>

#include <optional>

struct TransferEngine::Context
{
    Context(const StageRequest &request, TransferControl &control, const TransferObserver &observer,
            TransferJournal &journal);

    const StageRequest &request;
    TransferControl &control;
    const TransferObserver &observer;
    TransferJournal &journal;
    QElapsedTimer clock;
    TransferProgress progress;
    /// The backup folder verified when the run started (empty: none yet). Verifying reads and
    /// hashes the whole backup (0.7 s for a million contacts on the project machine): once a run
    /// is enough.
    QString verifiedFolder;

    void log(const QString &line) const;
    /// Hands the progress out if ~100 ms passed since the last time (always when `force`).
    void report(bool force = false);

    /// Waits for a connector's answer; gives up (AwaitCancelled) as soon as Pause or Cancel is
    /// asked for.
    template<typename T>
    Awaited<T> wait(QFuture<Result<T>> future)
    {
        // While the platform works on a batch, the rate and elapsed time keep moving (throttled).
        return ConnectorAwait::await(std::move(future), [this] {
            report();
            return control.stopRequested();
        });
    }

    /**
     * Handles a stop request for run `runId` (journaled as paused while paused): returns true to
     * go on (there was none, or Resume came), false when the run was cancelled (journaled).
     */
    bool holdIfPaused(qint64 runId, const QJsonObject &counts);

private:
    qint64 m_lastReportMs = -1;
    QList<QPair<qint64, qint64>> m_samples; // (ms, done) over the last seconds, for the rate
};

namespace TransferEngineDetail {
/// The newest run of a stage, real (not a dry run) unless `dryRun`.
std::optional<TransferRun> latestRun(TransferJournal &journal, const StageRef &ref, bool dryRun = false);
/// How the backup is checked: Full re-reads and re-hashes every file (the engine, before it
/// writes); Quick compares the files' sizes with the manifest (a page showing a stage's state on
/// the GUI thread, where re-reading a million contacts would stall the window).
enum class BackupCheck { Full, Quick };
/// Why `ref` cannot start now; approves the stage before it when config.autoApprove says so.
/// `verifiedFolder` (when given) receives the backup folder the gate checked, if it checked one.
/// The backup is verified through config.memo when it has one.
std::optional<Error> gate(const TransferConfig &config, const StageRef &ref, TransferJournal &journal,
                          BackupCheck check = BackupCheck::Full, QString *verifiedFolder = nullptr);
/// The folder of the newest finished backup run, verified now (Full with a `memo` that verified it
/// earlier in the session: checked to be unchanged since).
Result<QString> verifiedBackup(TransferJournal &journal, BackupCheck check = BackupCheck::Full,
                               TransferMemo *memo = nullptr);
} // namespace TransferEngineDetail
