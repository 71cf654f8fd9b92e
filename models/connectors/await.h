#pragma once

#include "core/result.h"

#include <QCoreApplication>
#include <QFuture>
#include <QThread>

#include <algorithm>
#include <utility>
#include <variant>

/** What ConnectorAwait::await returns when the caller cancelled while waiting. */
struct AwaitCancelled
{
};

/** A connector's answer as a waiting worker sees it: the value, the Error, or cancelled. */
template<typename T>
using Awaited = std::variant<T, Error, AwaitCancelled>;

/**
 * Waiting on a job-pool thread for a connector's future. The future is answered on the network
 * thread, so a worker may block for it; it polls so that a Cancel pressed during a long request
 * is seen within one poll, and it never runs an event loop.
 */
class ConnectorAwait
{
    Q_DECLARE_TR_FUNCTIONS(ConnectorAwait)

public:
    /**
     * Waits for `future`, asking `cancelled()` at least every `pollMs`. Never call it on the
     * thread that answers the future (the network thread) or on a thread that serves the platform.
     *
     * The first looks come soon (1, 2, 4 ... ms, then every `pollMs`): a worker that waits for
     * one answer after another (a wave's batches, the pages of a read-back) would otherwise lose
     * half a poll on every answer that comes in a few ms.
     */
    template<typename T, typename CancelledFn>
    static Awaited<T> await(QFuture<Result<T>> future, CancelledFn &&cancelled, int pollMs = 20)
    {
        int sleepMs = 1;
        while (!future.isFinished()) {
            if (cancelled())
                return AwaitCancelled{};
            QThread::msleep(static_cast<unsigned long>(std::min(sleepMs, pollMs)));
            sleepMs = std::min(sleepMs * 2, pollMs);
        }
        if (future.resultCount() == 0) // the network thread went away mid-request
            return lostAnswer();
        Result<T> result = future.result();
        if (!result)
            return result.error();
        return std::move(result).value();
    }

    /// The Error of a future that finished without an answer.
    static Error lostAnswer() { return Error(tr("The request was cancelled.")); }
};
