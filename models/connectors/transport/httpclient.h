#pragma once

#include "connectors/transport/httpmessage.h"
#include "connectors/transport/ratelimiter.h"
#include "connectors/transport/retrypolicy.h"
#include "core/result.h"

#include <QFuture>
#include <QHash>
#include <QList>
#include <QObject>
#include <QTimer>

#include <memory>
#include <vector>

class QNetworkAccessManager;
class QNetworkCookieJar;
class QNetworkReply;

/**
 * The transport the platform connectors share: HTTP through QNetworkAccessManager, paced by a
 * RateLimiter, repeated per a RetryPolicy, each attempt bounded by a transfer timeout. Error
 * statuses and network failures come back as an Error from ApiError.
 *
 * Holds as many requests in flight to one host as the limiter's concurrency cap for the
 * platform allows (Mailchimp: 10), beyond QNetworkAccessManager's 6 connections per host, by
 * spreading them over several managers that share one cookie jar (see httpclient.cpp). Its
 * connections send without Nagle's algorithm (TCP_NODELAY, see tcpnodelay.h).
 *
 * Lives in a worker thread with its own event loop (moveToThread); send() may be called from
 * any thread. Destroying the client (in its thread, or after that thread has finished) aborts
 * what is in flight and answers every open future with a "cancelled" Error. Headers and bodies
 * are never logged.
 */
class HttpClient : public QObject
{
    Q_OBJECT

public:
    using Reply = Result<HttpResponse>;

    explicit HttpClient(RateLimiter limiter = RateLimiter::withPlatformDefaults(),
                        RetryPolicy retryPolicy = RetryPolicy(), QObject *parent = nullptr);
    ~HttpClient() override;

    /// Per-attempt timeout for requests that set none. Default 120 s (Mailchimp's own limit).
    void setDefaultTimeout(int ms);

    /** Queues the request; the future gets the 2xx/3xx response or an Error. Thread-safe. */
    QFuture<Reply> send(HttpRequest request);

private:
    struct Pending;
    using PendingPtr = std::shared_ptr<Pending>;

    void enqueue(const PendingPtr &pending);
    void pump();
    void start(const PendingPtr &pending);
    void onFinished(const PendingPtr &pending, QNetworkReply *reply);
    void finish(const PendingPtr &pending, Reply reply);
    /// Nagle's algorithm off on the connections to the port of `url` (see tcpnodelay.h).
    void disableNagle(const QUrl &url);
    /// The manager for a request to `origin`: the one with the fewest requests open there among
    /// the managers the platform's concurrency cap allows (made when all of those are full).
    int managerFor(TargetPlatform platform, const QString &origin);

    struct Manager
    {
        QNetworkAccessManager *network = nullptr;
        QHash<QString, int> openByOrigin; ///< requests sent and not yet finished, per origin
    };

    RateLimiter m_limiter;
    RetryPolicy m_retryPolicy;
    int m_defaultTimeoutMs = 120000;
    std::vector<Manager> m_managers;          // made in the worker thread when needed
    QNetworkCookieJar *m_cookieJar = nullptr; // shared by the managers
    QTimer m_pumpTimer;
    QList<PendingPtr> m_queue; // waiting for the rate limiter
    QList<PendingPtr> m_open;  // everything not yet answered
};
