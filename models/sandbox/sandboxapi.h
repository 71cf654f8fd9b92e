#pragma once

#include <QByteArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QList>
#include <QPair>
#include <QString>
#include <QUrlQuery>

/** One HTTP request as a sandbox API sees it: independent of the HTTP server that received it. */
struct SandboxRequest
{
    QByteArray method; ///< "GET", "PUT", "POST" ...
    QString path;      ///< decoded path, e.g. "/3.0/lists/abc/members"
    QUrlQuery query;
    QByteArray authorization; ///< the Authorization header, empty when absent
    QByteArray body;
    QList<QPair<QByteArray, QByteArray>> headers; ///< every request header, names lower-cased

    /// A header's value (name in lower case); empty when absent.
    QByteArray header(const QByteArray &name) const
    {
        for (const auto &[n, v] : headers) {
            if (n == name)
                return v;
        }
        return {};
    }
};

/** The answer of a sandbox API before the server applies latency and faults. */
struct SandboxResponse
{
    int status = 200;
    QByteArray contentType = QByteArrayLiteral("application/json");
    QList<QPair<QByteArray, QByteArray>> headers; ///< extra headers
    QByteArray body;

    /// A JSON answer, compact, with the platform's media type.
    static SandboxResponse fromJson(const QJsonObject &json, int status = 200,
                                    const QByteArray &contentType = QByteArrayLiteral("application/json; charset=utf-8"))
    {
        SandboxResponse r;
        r.status = status;
        r.contentType = contentType;
        r.body = QJsonDocument(json).toJson(QJsonDocument::Compact);
        return r;
    }
};

/**
 * A platform's API emulated in memory (Mailchimp now; Brevo and Klaviyo later). Handlers run on
 * the thread of the SandboxServer that owns the API; state is not shared with other threads.
 */
class SandboxApi
{
public:
    virtual ~SandboxApi() = default;

    /// Answers one request: routing, authentication, validation and state changes.
    virtual SandboxResponse handle(const SandboxRequest &request) = 0;

    /// The platform's answer when too many requests run at once (HTTP 429 with its error body).
    virtual SandboxResponse tooManyRequests() const = 0;

    /// The platform's error body for a fault the server injects (429, 503); `detail` says why.
    virtual SandboxResponse problem(int status, const QString &title,
                                    const QString &detail) const = 0;
};
