#include "connectors/transport/retrypolicy.h"

#include <QJsonDocument>

#include <algorithm>

RetryPolicy::RetryPolicy(Settings settings, std::optional<quint32> seed)
    : m_settings(settings)
    , m_rng(seed ? *seed : std::random_device{}())
{
    m_settings.maxAttempts = std::max(1, m_settings.maxAttempts);
    m_settings.baseDelayMs = std::max<qint64>(0, m_settings.baseDelayMs);
    m_settings.maxDelayMs = std::max(m_settings.baseDelayMs, m_settings.maxDelayMs);
}

RetryPolicy::Outcome RetryPolicy::classify(TargetPlatform platform, int httpStatus,
                                           QNetworkReply::NetworkError networkError, bool timedOut,
                                           const QByteArray &body)
{
    if (httpStatus >= 200 && httpStatus < 400)
        return Outcome::Success;
    if (httpStatus == 429)
        return Outcome::Throttled;
    if (httpStatus == 403 && platform == TargetPlatform::Mailchimp
        && !QJsonDocument::fromJson(body).isObject())
        return Outcome::Throttled; // Mailchimp's overload answer: a 403 without a problem body
    if (httpStatus >= 500)
        return Outcome::ServerError;
    if (httpStatus >= 400)
        return Outcome::Fatal;

    if (timedOut)
        return Outcome::Timeout;
    switch (networkError) {
    case QNetworkReply::NoError:
        return Outcome::Success;
    case QNetworkReply::ConnectionRefusedError:
    case QNetworkReply::HostNotFoundError:
    case QNetworkReply::TemporaryNetworkFailureError:
    case QNetworkReply::NetworkSessionFailedError:
        return Outcome::NotSent;
    case QNetworkReply::TimeoutError:
        return Outcome::Timeout;
    case QNetworkReply::RemoteHostClosedError:
    case QNetworkReply::UnknownNetworkError:
    case QNetworkReply::ProxyConnectionClosedError:
    case QNetworkReply::ProxyTimeoutError:
        return Outcome::ConnectionLost;
    default:
        return Outcome::Fatal;
    }
}

RetryPolicy::Decision RetryPolicy::next(int attemptsMade, Outcome outcome, bool idempotent,
                                        std::optional<qint64> serverDelayMs)
{
    if (attemptsMade >= m_settings.maxAttempts)
        return {};
    switch (outcome) {
    case Outcome::Success:
    case Outcome::Fatal:
        return {};
    case Outcome::Throttled:
    case Outcome::NotSent:
        break;
    case Outcome::ServerError:
    case Outcome::Timeout:
    case Outcome::ConnectionLost:
        if (!idempotent)
            return {}; // it may have been carried out: sending it again could do it twice
        break;
    }
    if (serverDelayMs) {
        if (*serverDelayMs > m_settings.maxServerDelayMs)
            return {};
        return {true, std::max<qint64>(0, *serverDelayMs)};
    }
    return {true, backoffMs(attemptsMade)};
}

qint64 RetryPolicy::backoffCapMs(int attemptsMade) const
{
    const int doublings = std::clamp(attemptsMade - 1, 0, 30);
    const qint64 cap = m_settings.baseDelayMs << doublings;
    return std::min(cap, m_settings.maxDelayMs);
}

qint64 RetryPolicy::backoffMs(int attemptsMade)
{
    std::uniform_int_distribution<qint64> pick(0, backoffCapMs(attemptsMade));
    return pick(m_rng);
}
