#include "connectors/transport/ratelimiter.h"

#include <QElapsedTimer>

#include <algorithm>
#include <cmath>

namespace {

qint64 monotonicMs()
{
    static const QElapsedTimer started = [] {
        QElapsedTimer t;
        t.start();
        return t;
    }();
    return started.elapsed();
}

} // namespace

size_t qHash(const RateLimiter::Key &key, size_t seed) noexcept
{
    return qHashMulti(seed, static_cast<int>(key.platform), key.endpointClass);
}

RateLimiter::RateLimiter(Clock clock)
    : m_clock(clock ? std::move(clock) : Clock(monotonicMs))
{}

RateLimiter RateLimiter::withPlatformDefaults(Clock clock)
{
    RateLimiter limiter(std::move(clock));
    constexpr qint64 kSecond = 1000;
    constexpr qint64 kMinute = 60 * kSecond;
    constexpr qint64 kHour = 60 * kMinute;
    // Mailchimp throttles by concurrency only: 10 connections per API key.
    limiter.setMaxConcurrent(TargetPlatform::Mailchimp, 10);
    // Brevo: /v3/contacts/* 10 RPS and 36 000 RPH; every other endpoint 100 RPH.
    limiter.setWindows(TargetPlatform::Brevo, QStringLiteral("contacts"),
                       {{10, kSecond}, {36000, kHour}});
    limiter.setWindows(TargetPlatform::Brevo, {}, {{100, kHour}});
    // /v3/smtp/* 300 RPH, except GET /smtp/blockedContacts (3.6 M RPH / 1000 RPS).
    limiter.setWindows(TargetPlatform::Brevo, QStringLiteral("smtp"), {{300, kHour}});
    limiter.setWindows(TargetPlatform::Brevo, QStringLiteral("smtpBlockedContacts"),
                       {{1000, kSecond}, {3600000, kHour}});
    // Klaviyo: per endpoint, fixed windows; the common "M" tier unless a connector knows better.
    limiter.setWindowKind(TargetPlatform::Klaviyo, WindowKind::Fixed);
    limiter.setWindows(TargetPlatform::Klaviyo, {}, {{10, kSecond}, {150, kMinute}});
    // The endpoints the Klaviyo connector calls, with the burst/steady (and daily) windows of
    // their x-klaviyo-ratelimit in specs/klaviyo/stable.json (KlaviyoApi::Endpoint names them).
    constexpr qint64 kDay = 24 * kHour;
    const auto klaviyo = [&limiter](const char *endpointClass, QList<RateWindow> windows) {
        limiter.setWindows(TargetPlatform::Klaviyo, QString::fromLatin1(endpointClass), windows);
    };
    klaviyo("accounts", {{1, kSecond}, {15, kMinute}});           // get_accounts
    klaviyo("profiles", {{75, kSecond}, {750, kMinute}});         // get_profiles(_for_list)
    klaviyo("lists", {{75, kSecond}, {750, kMinute}});            // get_lists, get_list
    klaviyo("list-profile-count", {{1, kSecond}, {15, kMinute}}); // get_list + profile_count
    klaviyo("create-list", {{10, kSecond}, {150, kMinute}, {150, kDay}}); // create_list
    klaviyo("bulk-import", {{10, kSecond}, {150, kMinute}});      // import jobs, job, errors
    klaviyo("bulk-subscribe", {{75, kSecond}, {750, kMinute}});   // bulk_subscribe_profiles
    klaviyo("bulk-unsubscribe", {{75, kSecond}, {750, kMinute}}); // bulk_unsubscribe_profiles
    klaviyo("bulk-suppress", {{75, kSecond}, {750, kMinute}});    // bulk_suppress_profiles
    klaviyo("tags", {{3, kSecond}, {60, kMinute}});               // get_tags
    klaviyo("segments", {{75, kSecond}, {750, kMinute}});         // get_segments
    klaviyo("templates", {{75, kSecond}, {750, kMinute}});        // get/create_template(s)
    klaviyo("campaigns", {{10, kSecond}, {150, kMinute}});        // get_campaigns
    klaviyo("flows", {{3, kSecond}, {60, kMinute}});              // get_flows
    return limiter;
}

void RateLimiter::setWindows(TargetPlatform platform, const QString &endpointClass,
                             const QList<RateWindow> &windows)
{
    ClassState &state = m_classes[Key{platform, endpointClass}];
    state.buckets.clear();
    const qint64 now = m_clock();
    for (const RateWindow &w : windows) {
        if (w.requests > 0 && w.windowMs > 0)
            state.buckets.append(Bucket{w, double(w.requests), now, {}});
    }
}

void RateLimiter::setWindowKind(TargetPlatform platform, WindowKind kind)
{
    m_windowKinds[platform] = kind;
}

qint64 RateLimiter::fixedWindowGuardMs(qint64 windowMs)
{
    return std::min<qint64>(100, windowMs / 20);
}

void RateLimiter::setMaxConcurrent(TargetPlatform platform, int max)
{
    m_maxConcurrent[platform] = std::max(0, max);
}

int RateLimiter::maxConcurrent(TargetPlatform platform) const
{
    return m_maxConcurrent.value(platform);
}

RateLimiter::Key RateLimiter::resolve(const Key &key) const
{
    if (m_classes.contains(key))
        return key;
    return Key{key.platform, {}};
}

void RateLimiter::refill(Bucket &bucket, qint64 now) const
{
    const qint64 elapsed = now - bucket.refilledAt;
    if (elapsed <= 0)
        return;
    const double perMs = double(bucket.window.requests) / double(bucket.window.windowMs);
    bucket.tokens = std::min(double(bucket.window.requests), bucket.tokens + elapsed * perMs);
    bucket.refilledAt = now;
}

qint64 RateLimiter::waitFor(Bucket &bucket, bool fixed, qint64 now) const
{
    if (fixed) {
        const qint64 span = bucket.window.windowMs + fixedWindowGuardMs(bucket.window.windowMs);
        while (!bucket.granted.empty() && now - bucket.granted.front() >= span)
            bucket.granted.pop_front();
        if (qsizetype(bucket.granted.size()) < bucket.window.requests)
            return 0;
        // The oldest of the last `requests` grants leaves the span at front() + span.
        return bucket.granted.front() + span - now;
    }
    refill(bucket, now);
    if (bucket.tokens >= 1.0)
        return 0;
    const double perMs = double(bucket.window.requests) / double(bucket.window.windowMs);
    return qint64(std::ceil((1.0 - bucket.tokens) / perMs));
}

RateLimiter::Admission RateLimiter::tryAcquire(const Key &key)
{
    const qint64 now = m_clock();
    ClassState &state = m_classes[resolve(key)];
    if (state.pausedUntil > now)
        return {false, state.pausedUntil - now};

    const bool fixed = m_windowKinds.value(key.platform) == WindowKind::Fixed;
    qint64 wait = 0;
    for (Bucket &b : state.buckets)
        wait = std::max(wait, waitFor(b, fixed, now));
    if (wait > 0)
        return {false, wait};

    const int cap = m_maxConcurrent.value(key.platform);
    if (cap > 0 && m_inFlight.value(key.platform) >= cap)
        return {false, 0};

    for (Bucket &b : state.buckets) {
        b.tokens -= 1.0;
        if (fixed)
            b.granted.push_back(now);
    }
    ++m_inFlight[key.platform];
    return {true, 0};
}

void RateLimiter::release(const Key &key)
{
    int &n = m_inFlight[key.platform];
    n = std::max(0, n - 1);
}

void RateLimiter::learn(const Key &key, int status, const HttpHeaders &headers,
                        const QDateTime &nowUtc)
{
    if (const auto delay
        = HttpHeaderValues::serverRequestedDelayMs(key.platform, status, headers, nowUtc))
        pause(key, *delay);
}

void RateLimiter::pause(const Key &key, qint64 ms)
{
    if (ms <= 0)
        return;
    ClassState &state = m_classes[resolve(key)];
    state.pausedUntil = std::max(state.pausedUntil, m_clock() + ms);
}
