#pragma once

#include "connectors/targetplatform.h"
#include "connectors/transport/httpmessage.h"

#include <QDateTime>
#include <QHash>
#include <QList>
#include <QString>

#include <deque>
#include <functional>

/// A quota: at most `requests` per `windowMs`.
struct RateWindow
{
    int requests = 1;
    qint64 windowMs = 1000;
};

/**
 * Paces requests per (platform, endpoint class): quotas per window (e.g. Klaviyo's 10/s burst and
 * 150/min steady windows together), a cap on requests in flight per platform (Mailchimp allows
 * 10 concurrent connections per key), and pauses learnt from the platforms' answers (Retry-After,
 * Brevo's x-sib-ratelimit-*, Klaviyo's RateLimit-*).
 *
 * Pure logic driven by an injectable monotonic clock, so tests step time by hand. Not
 * thread-safe: it belongs to the HttpClient that uses it.
 */
class RateLimiter
{
public:
    /// Monotonic time in ms.
    using Clock = std::function<qint64()>;

    struct Key
    {
        TargetPlatform platform = TargetPlatform::Mailchimp;
        QString endpointClass; ///< empty: the platform's default class
        friend bool operator==(const Key &, const Key &) = default;
    };

    struct Admission
    {
        bool granted = false;
        /// When not granted: ms until a token frees up, or 0 when waiting for a request in
        /// flight to finish (call tryAcquire again after release()).
        qint64 waitMs = 0;
    };

    /// Without a clock, QElapsedTimer's monotonic clock.
    explicit RateLimiter(Clock clock = {});

    /// The published limits (see reference/esp-apis.md §1.1, §2.1, §3.1).
    static RateLimiter withPlatformDefaults(Clock clock = {});

    /// Quotas for one endpoint class; endpoint classes without their own share the default
    /// class's ("") buckets. An empty list lifts the limit.
    void setWindows(TargetPlatform platform, const QString &endpointClass,
                    const QList<RateWindow> &windows);
    /**
     * How a platform counts its windows. Rolling (the default): a token bucket refilled evenly,
     * so a quota of 10 a second allows one request every 100 ms once the burst is spent.
     * Fixed (Klaviyo, esp-apis.md 3.1): the platform counts requests in windows that start with a
     * request and refuses the rest of a spent window, so an evenly refilled bucket overshoots it
     * (a burst of 10, then one more 100 ms later, is 11 in one window). There the limiter keeps
     * the times of the last `requests` grants and starts a request only when no span of
     * windowMs plus a guard would hold more than the quota: the guard absorbs the time a request
     * takes to reach the platform, which differs from one request to the next.
     */
    enum class WindowKind { Rolling, Fixed };
    void setWindowKind(TargetPlatform platform, WindowKind kind);
    /// The margin added to a fixed window of `windowMs`: 5 %, at most 100 ms.
    static qint64 fixedWindowGuardMs(qint64 windowMs);

    /// At most `max` requests in flight to the platform at once; 0: no cap.
    void setMaxConcurrent(TargetPlatform platform, int max);
    int maxConcurrent(TargetPlatform platform) const;

    /// Takes a token and a concurrency slot when both are free.
    Admission tryAcquire(const Key &key);
    /// Gives the concurrency slot back once the answer has arrived.
    void release(const Key &key);
    /// Learns from an answer's headers: pauses the class when the platform says its quota is
    /// spent or asks us to wait.
    void learn(const Key &key, int status, const HttpHeaders &headers,
               const QDateTime &nowUtc = QDateTime::currentDateTimeUtc());
    /// No request of the key's class starts for `ms`.
    void pause(const Key &key, qint64 ms);

    int inFlight(TargetPlatform platform) const { return m_inFlight.value(platform); }

private:
    struct Bucket
    {
        RateWindow window;
        double tokens = 0;
        qint64 refilledAt = 0;
        std::deque<qint64> granted; ///< Fixed windows: when the last `requests` were granted
    };
    struct ClassState
    {
        QList<Bucket> buckets;
        qint64 pausedUntil = 0;
    };

    Key resolve(const Key &key) const;
    void refill(Bucket &bucket, qint64 now) const;
    /// ms until the bucket allows one more request (0: now).
    qint64 waitFor(Bucket &bucket, bool fixed, qint64 now) const;

    Clock m_clock;
    QHash<Key, ClassState> m_classes;
    QHash<TargetPlatform, int> m_maxConcurrent;
    QHash<TargetPlatform, WindowKind> m_windowKinds;
    QHash<TargetPlatform, int> m_inFlight;
};

size_t qHash(const RateLimiter::Key &key, size_t seed = 0) noexcept;
