#include "connectors/transport/httpmessage.h"

#include <QLocale>
#include <QTimeZone>

bool HttpRequest::isIdempotent() const
{
    if (idempotent)
        return *idempotent;
    const QByteArray m = method.toUpper();
    return m == "GET" || m == "HEAD" || m == "PUT" || m == "DELETE" || m == "OPTIONS";
}

QByteArray HttpResponse::header(QByteArrayView name) const
{
    return HttpHeaderValues::value(headers, name);
}

namespace HttpHeaderValues {

QByteArray value(const HttpHeaders &headers, QByteArrayView name)
{
    for (const auto &[key, v] : headers) {
        if (key.compare(name, Qt::CaseInsensitive) == 0)
            return v;
    }
    return {};
}

std::optional<qint64> integer(const HttpHeaders &headers, QByteArrayView name)
{
    const QByteArray v = value(headers, name).trimmed();
    if (v.isEmpty())
        return std::nullopt;
    bool ok = false;
    const qint64 n = v.toLongLong(&ok);
    if (!ok)
        return std::nullopt;
    return n;
}

std::optional<qint64> parseRetryAfter(QByteArrayView value, const QDateTime &nowUtc)
{
    const QByteArray v = value.trimmed().toByteArray();
    if (v.isEmpty())
        return std::nullopt;
    bool ok = false;
    const qint64 seconds = v.toLongLong(&ok);
    if (ok)
        return seconds < 0 ? std::nullopt : std::optional<qint64>(seconds * 1000);
    // IMF-fixdate, e.g. "Wed, 21 Oct 2015 07:28:00 GMT"; always English, always GMT.
    QDateTime when = QLocale::c().toDateTime(QString::fromLatin1(v),
                                             QStringLiteral("ddd, dd MMM yyyy HH:mm:ss 'GMT'"));
    if (!when.isValid())
        return std::nullopt;
    when.setTimeZone(QTimeZone::utc());
    return std::max<qint64>(0, nowUtc.msecsTo(when));
}

std::optional<qint64> serverRequestedDelayMs(TargetPlatform platform, int status,
                                             const HttpHeaders &headers, const QDateTime &nowUtc)
{
    if (status == 429 || status == 503) {
        if (const auto retryAfter = parseRetryAfter(value(headers, "retry-after"), nowUtc))
            return retryAfter;
    }
    QByteArrayView remainingHeader;
    QByteArrayView resetHeader;
    switch (platform) {
    case TargetPlatform::Brevo:
        remainingHeader = "x-sib-ratelimit-remaining";
        resetHeader = "x-sib-ratelimit-reset";
        break;
    case TargetPlatform::Klaviyo:
        remainingHeader = "ratelimit-remaining";
        resetHeader = "ratelimit-reset";
        break;
    case TargetPlatform::Mailchimp:
        return std::nullopt; // Mailchimp sends no rate-limit headers
    }
    const auto remaining = integer(headers, remainingHeader);
    const auto reset = integer(headers, resetHeader);
    if (!reset || *reset < 0)
        return std::nullopt;
    if (status == 429 || (remaining && *remaining <= 0))
        return *reset * 1000;
    return std::nullopt;
}

} // namespace HttpHeaderValues
