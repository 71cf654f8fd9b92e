#pragma once

#include "connectors/targetplatform.h"

#include <QByteArray>
#include <QNetworkReply>

#include <optional>
#include <random>

/// The bounds of RetryPolicy (outside the class so it can be a default argument).
struct RetrySettings
{
    int maxAttempts = 5;              ///< including the first
    qint64 baseDelayMs = 500;         ///< the backoff cap of the first retry
    qint64 maxDelayMs = 30000;        ///< no backoff longer than this
    qint64 maxServerDelayMs = 120000; ///< a longer Retry-After fails the request instead
};

/**
 * When to send a failed request again and after how long: bounded attempts, exponential backoff
 * with full jitter (a random delay between 0 and base * 2^(attempt-1), capped), and the platform's
 * own Retry-After when it gives one.
 *
 * A request that may have reached the server (a 5xx, a timeout, a dropped connection) is only
 * repeated when it is idempotent; one the server provably refused unprocessed (429, Mailchimp's
 * throttling 403, a refused connection) always may be.
 */
class RetryPolicy
{
public:
    using Settings = RetrySettings;

    /// What an attempt ended with, as far as retrying is concerned.
    enum class Outcome {
        Success,
        Throttled,      ///< 429, or Mailchimp's bare 403: not processed, try later
        ServerError,    ///< 5xx: may have been processed
        Timeout,        ///< no answer in time: may have been processed
        NotSent,        ///< connection refused, host not found: never reached the server
        ConnectionLost, ///< dropped mid-way: may have been processed
        Fatal,          ///< other 4xx, TLS failures ...: the same request fails again
    };

    struct Decision
    {
        bool retry = false;
        qint64 delayMs = 0;
    };

    explicit RetryPolicy(Settings settings = {}, std::optional<quint32> seed = std::nullopt);

    /**
     * Classifies an attempt. `httpStatus` is 0 when no HTTP answer arrived; `timedOut` when the
     * client gave up waiting. A Mailchimp 403 without a JSON body is its throttling answer.
     */
    static Outcome classify(TargetPlatform platform, int httpStatus,
                            QNetworkReply::NetworkError networkError, bool timedOut,
                            const QByteArray &body);

    /// Whether and when to send again after `attemptsMade` attempts ended with `outcome`.
    Decision next(int attemptsMade, Outcome outcome, bool idempotent,
                  std::optional<qint64> serverDelayMs = std::nullopt);

    /// The jittered backoff before retry number `attemptsMade` (1 = the first retry).
    qint64 backoffMs(int attemptsMade);
    /// The upper bound backoffMs() draws from.
    qint64 backoffCapMs(int attemptsMade) const;

    const Settings &settings() const { return m_settings; }

private:
    Settings m_settings;
    std::mt19937 m_rng;
};
