#pragma once

#include <QMutex>
#include <QWaitCondition>

#include <atomic>

/**
 * Pause, Resume and Cancel for a running stage, safe to use from any thread. The engine asks
 * stopRequested() while it waits for the platform (every 20 ms) and between batches, so a request
 * is acted on within a second: the batch in flight is left planned in the journal and sent again
 * on resume (upserts keyed by email make that safe).
 */
class TransferControl
{
public:
    void pause();
    void resume();
    void cancel();

    bool isPauseRequested() const { return m_pause.load(); }
    bool isCancelled() const { return m_cancel.load(); }
    /// Pause or Cancel was asked for.
    bool stopRequested() const { return m_pause.load() || m_cancel.load(); }

    /// Blocks the (worker) calling thread while paused; returns false when cancelled.
    bool waitWhilePaused();

private:
    std::atomic_bool m_pause{false};
    std::atomic_bool m_cancel{false};
    QMutex m_mutex;
    QWaitCondition m_resumed;
};
