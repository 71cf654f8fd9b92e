#pragma once

#include "connectors/targetplatform.h"

#include <QByteArray>
#include <QDateTime>
#include <QList>
#include <QMetaType>
#include <QPair>
#include <QString>
#include <QUrl>

#include <optional>

/// Header name/value pairs as they went over the wire (the shape of QNetworkReply::rawHeaderPairs).
using HttpHeaders = QList<QPair<QByteArray, QByteArray>>;

/** One request to a platform's REST API, as a connector hands it to HttpClient. */
struct HttpRequest
{
    QByteArray method = QByteArrayLiteral("GET");
    QUrl url;
    HttpHeaders headers; ///< including the auth header; never logged
    QByteArray body;     ///< never logged
    TargetPlatform platform = TargetPlatform::Mailchimp;
    /// Which of the platform's rate-limit classes this endpoint belongs to ("contacts" ...);
    /// empty: the platform's default class.
    QString endpointClass;
    /// Whether sending it twice does no harm (an upsert keyed by email, a GET). Unset: GET, HEAD,
    /// PUT and DELETE are, POST and PATCH are not.
    std::optional<bool> idempotent;
    /// Per-attempt transfer timeout in ms; 0 takes the client's default.
    int timeoutMs = 0;
    /// Among requests waiting for the same limits, a higher priority goes out first (in the
    /// order sent within one priority). A connector gives a request whose answer leads to more
    /// requests (a batch write that its tagging follows) a higher one, so that a wave does not end
    /// with that work waiting behind requests that lead nowhere.
    int priority = 0;

    bool isIdempotent() const;
};

/** A platform's answer with a 2xx/3xx status. Error statuses come back as Error instead. */
struct HttpResponse
{
    int status = 0;
    HttpHeaders headers;
    QByteArray body;
    int attempts = 0; ///< how many times the request was sent

    QByteArray header(QByteArrayView name) const;
};

Q_DECLARE_METATYPE(HttpRequest)
Q_DECLARE_METATYPE(HttpResponse)

namespace HttpHeaderValues {
/// The value of header `name` (case-insensitive); empty when absent.
QByteArray value(const HttpHeaders &headers, QByteArrayView name);
/// A header holding a whole number (of seconds, of requests); nullopt when absent or garbled.
std::optional<qint64> integer(const HttpHeaders &headers, QByteArrayView name);
/// Retry-After as ms from `nowUtc`: delay-seconds or an HTTP date (RFC 9110). nullopt when
/// garbled; a date in the past gives 0.
std::optional<qint64> parseRetryAfter(QByteArrayView value, const QDateTime &nowUtc);
/**
 * How long the platform asked us to wait before the next request, in ms, from the headers of a
 * response with `status`: Retry-After on 429/503 for any platform, else Brevo's
 * x-sib-ratelimit-reset or Klaviyo's RateLimit-Reset when the remaining quota is 0 (or on 429).
 */
std::optional<qint64> serverRequestedDelayMs(TargetPlatform platform, int status,
                                             const HttpHeaders &headers, const QDateTime &nowUtc);
} // namespace HttpHeaderValues
