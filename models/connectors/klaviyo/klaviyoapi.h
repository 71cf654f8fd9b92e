#pragma once

#include "connectors/connector.h"
#include "connectors/transport/httpmessage.h"

#include <QCoreApplication>
#include <QFuture>
#include <QJsonObject>
#include <QList>
#include <QLoggingCategory>
#include <QUrl>
#include <QUrlQuery>

#include <memory>

Q_DECLARE_LOGGING_CATEGORY(lcKlaviyo)

class HttpClient;

/**
 * The plumbing the Klaviyo connector's calls share: requests with the key, the revision header
 * and the endpoint's rate-limit class; JSON:API answers parsed on the network thread; cursor
 * paging through links.next; timed waits for job polling. Held by a shared_ptr that every
 * continuation captures, so an answer arriving after the connector is gone touches nothing freed.
 * The HttpClient must outlive it (ConnectorFactory's rule).
 */
class KlaviyoApi : public std::enable_shared_from_this<KlaviyoApi>
{
    Q_DECLARE_TR_FUNCTIONS(KlaviyoApi)

public:
    /// The API revision every request names (esp-apis.md 3.1); the connector speaks no other.
    static constexpr QByteArrayView revision = "2026-07-15";

    /// Rate-limit classes (HttpRequest::endpointClass); the windows of each are set from the
    /// spec's x-klaviyo-ratelimit in RateLimiter::withPlatformDefaults.
    struct Endpoint
    {
        static QString accounts() { return QStringLiteral("accounts"); }
        static QString profiles() { return QStringLiteral("profiles"); }
        static QString lists() { return QStringLiteral("lists"); }
        static QString createList() { return QStringLiteral("create-list"); }
        /// get_list with additional-fields[list]=profile_count has its own, lower limit.
        static QString listProfileCount() { return QStringLiteral("list-profile-count"); }
        static QString bulkImport() { return QStringLiteral("bulk-import"); }
        static QString subscribe() { return QStringLiteral("bulk-subscribe"); }
        static QString unsubscribe() { return QStringLiteral("bulk-unsubscribe"); }
        static QString suppress() { return QStringLiteral("bulk-suppress"); }
        static QString tags() { return QStringLiteral("tags"); }
        static QString segments() { return QStringLiteral("segments"); }
        static QString templates() { return QStringLiteral("templates"); }
        static QString campaigns() { return QStringLiteral("campaigns"); }
        static QString flows() { return QStringLiteral("flows"); }
    };

    KlaviyoApi(ConnectionSettings settings, HttpClient &client);

    using Query = QList<QPair<QString, QString>>;
    /// The URL of `path` (e.g. "profiles", "lists/abc/profiles") under the API root, with the
    /// query's names and values percent-encoded (a "+" in an address must not become a space).
    QUrl url(const QString &path, const Query &query = {}) const;
    /// A request with the auth, revision, Accept and (with a body) Content-Type headers.
    HttpRequest request(const QByteArray &method, const QUrl &url, const QString &endpointClass,
                        const QJsonObject &body = {}) const;

    /**
     * Sends and parses the answer: an empty body gives an empty object. An answer that is not
     * a JSON object (a body cut short on the way) is asked for again when the request is
     * idempotent, then reported as an Error naming Klaviyo and the request.
     */
    QFuture<Result<QJsonObject>> call(HttpRequest request, int malformedRetries = 2);

    /// Every resource of a cursor-paged listing, following links.next from `first`.
    QFuture<Result<QList<QJsonObject>>> collect(const QUrl &first, const QString &endpointClass);

    /// A future answered after `ms` on the client's thread.
    QFuture<void> delay(int ms) const;

    const ConnectionSettings &settings() const { return m_settings; }
    HttpClient &client() const { return m_client; }

    /// Ms between the first polls of an import job; doubles up to pollMaxMs.
    int pollStartMs = 500;
    int pollMaxMs = 5000;
    /// How long an import job may take before the write gives up on it.
    int jobTimeoutMs = 30 * 60 * 1000;

private:
    struct Collector;
    void collectPage(const std::shared_ptr<Collector> &c, const QUrl &url);

    ConnectionSettings m_settings;
    HttpClient &m_client;
};

/// A future that already holds an error.
template<typename T>
QFuture<Result<T>> failed(const Error &error)
{
    return QtFuture::makeReadyFuture(Result<T>(error));
}

/// `future`'s value passed through `fn` (From -> Result<To>) on the thread that answers it; an
/// Error passes through unchanged.
template<typename From, typename F>
auto mapResult(QFuture<Result<From>> future, F fn)
{
    using To = std::invoke_result_t<F, From>;
    return future.then(QtFuture::Launch::Sync, [fn = std::move(fn)](Result<From> r) -> To {
        if (!r)
            return r.error();
        return fn(std::move(r).value());
    });
}
