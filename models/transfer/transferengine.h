#pragma once

#include "connectors/connector.h"
#include "core/result.h"
#include "transfer/stageoutcome.h"
#include "transfer/transferconfig.h"
#include "transfer/transfercontrol.h"
#include "transfer/transferprogress.h"

#include <QCoreApplication>
#include <QString>

#include <functional>
#include <memory>

class HttpClient;

/** Where a running stage reports to. Both are called on the engine's (worker) thread. */
struct TransferObserver
{
    std::function<void(const TransferProgress &)> progress; ///< at most ~10 a second, and at the end
    std::function<void(const QString &)> log;               ///< one translated line per event
};

/**
 * The staged execution engine (issue 5): runs one stage of the transfer on the calling worker
 * thread, journaled in the project file through its own connection.
 *
 * - backup: BackupWriter into the project's archive, then verified by reading it back.
 * - setup: InitialSetup on the target (the list and every field the mapping needs).
 * - suppressions (wave 0) and wave N: the contacts of the verified backup that WaveAssignment puts
 *   in that wave, translated (ContactTranslator), in batches of the target's bulk size: each batch
 *   planned in the journal, written, and its outcome journaled in one transaction before the next.
 *   Then the target is read back: every contact written is there and none is more subscribed than
 *   on the source.
 *
 * Gates: nothing is written without a verified backup; the suppressions need the setup; wave N
 * needs wave N-1; each needs the stage before it finished and approved (TransferConfig::autoApprove
 * approves one that finished cleanly). A stage that was interrupted (killed, cancelled, paused,
 * failed) continues its run: batches planned and never completed are sent again, what was written
 * is not sent again, what failed is tried again. A dry run reads everything and writes nothing to
 * the target.
 */
class TransferEngine
{
    Q_DECLARE_TR_FUNCTIONS(TransferEngine)

public:
    /// `client` (a NetworkThread's) must outlive the engine.
    TransferEngine(TransferConfig config, HttpClient &client);
    ~TransferEngine();
    TransferEngine(const TransferEngine &) = delete;
    TransferEngine &operator=(const TransferEngine &) = delete;

    const TransferConfig &config() const { return m_config; }

    /**
     * Runs a stage to its end, a pause that is then resumed, a cancel or an Error. Blocks; never
     * call it on the GUI or the network thread. The outcome is journaled with the run. An Error is
     * returned when the stage could not start (a gate, no backup, the journal) — the journal
     * holds nothing new then. It lowers the calling thread's scheduling priority, for good
     * (ThreadPriority::lowerCurrentThread): run it on a worker thread of its own.
     */
    Result<StageOutcome> run(const StageRequest &request, TransferControl &control,
                             const TransferObserver &observer = {});

    /// Why `ref` cannot start now (nullopt when it can), reading the journal through `journal`.
    std::optional<Error> gate(const StageRef &ref, class TransferJournal &journal) const;

    struct Context; ///< internal: one run's working state

private:
    Result<StageOutcome> runBackup(Context &ctx);
    Result<StageOutcome> runSetup(Context &ctx);
    Result<StageOutcome> runWave(Context &ctx);

    TransferConfig m_config;
    HttpClient &m_client;
};
