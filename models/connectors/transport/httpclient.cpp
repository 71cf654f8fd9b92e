#include "connectors/transport/httpclient.h"

#include "connectors/transport/apierror.h"
#include "connectors/transport/tcpnodelay.h"

#include <QLoggingCategory>
#include <QNetworkAccessManager>
#include <QNetworkCookieJar>
#include <QNetworkReply>
#include <QNetworkRequest>
#include <QPointer>
#include <QPromise>

using namespace Qt::StringLiterals;

Q_LOGGING_CATEGORY(lcTransport, "stagecoach.transport", QtWarningMsg)

namespace {

// Why several QNetworkAccessManagers: in Qt 6.4 a manager opens at most 6 HTTP/1.1 connections
// per host (QHttpNetworkConnection's defaultHttpChannelCount) and queues further requests to
// that host until one of the 6 is free, so Mailchimp's 10 allowed connections could never all be
// used. The pool of connections belongs to the manager: its cache of QHttpNetworkConnections lives
// in the manager's own HTTP thread (QThreadStorage in QHttpThreadDelegate, one thread per
// manager), so each further manager adds 6 more. QHttp1Configuration::setNumberOfConnectionsPerHost
// does this on one manager, but only from Qt 6.5; Debian 12 has 6.4.2.
constexpr int kConnectionsPerManager = 6;

/// The port a request to `url` connects to: its own, else its scheme's.
int portOf(const QUrl &url)
{
    return url.port(url.scheme().compare(u"https"_s, Qt::CaseInsensitive) == 0 ? 443 : 80);
}

/// What QNetworkAccessManager keys its connections by (without the proxy, which all managers
/// share).
QString originOf(const QUrl &url)
{
    return url.scheme().toLower() + u"://"_s + url.host().toLower() + u':'
           + QString::number(portOf(url));
}

} // namespace

struct HttpClient::Pending
{
    HttpRequest request;
    QPromise<Reply> promise;
    RateLimiter::Key key;
    QString where;
    int attempts = 0;
    QPointer<QNetworkReply> reply;
    int manager = -1; ///< index in m_managers while a reply is open
    QString origin;
    bool onNewConnection = false; ///< this attempt's manager opened a connection for it
    bool nagleLookedFor = false;  ///< disableNagle() ran for it
};

HttpClient::HttpClient(RateLimiter limiter, RetryPolicy retryPolicy, QObject *parent)
    : QObject(parent)
    , m_limiter(std::move(limiter))
    , m_retryPolicy(std::move(retryPolicy))
    , m_pumpTimer(this)
{
    m_pumpTimer.setSingleShot(true);
    m_pumpTimer.setTimerType(Qt::PreciseTimer);
    connect(&m_pumpTimer, &QTimer::timeout, this, &HttpClient::pump);
}

HttpClient::~HttpClient()
{
    const QList<PendingPtr> open = std::exchange(m_open, {});
    for (const PendingPtr &p : open) {
        if (p->reply) {
            p->reply->disconnect(this);
            p->reply->abort();
        }
        p->promise.addResult(Reply(ApiError::cancelled(p->where)));
        p->promise.finish();
    }
    // The managers before the cookie jar they share.
    for (Manager &m : m_managers)
        delete m.network;
}

void HttpClient::setDefaultTimeout(int ms)
{
    QMetaObject::invokeMethod(this, [this, ms] { m_defaultTimeoutMs = std::max(1, ms); });
}

QFuture<HttpClient::Reply> HttpClient::send(HttpRequest request)
{
    auto pending = std::make_shared<Pending>();
    pending->key = RateLimiter::Key{request.platform, request.endpointClass};
    pending->where = ApiError::describeRequest(request.method, request.url);
    pending->request = std::move(request);
    pending->promise.start();
    QFuture<Reply> future = pending->promise.future();
    // Everything else happens in this object's thread.
    QMetaObject::invokeMethod(
        this,
        [this, pending] {
            m_open.append(pending);
            enqueue(pending);
        },
        Qt::QueuedConnection);
    return future;
}

void HttpClient::enqueue(const PendingPtr &pending)
{
    // After every request of the same or a higher priority.
    const int priority = pending->request.priority;
    auto at = m_queue.end();
    while (at != m_queue.begin() && (*std::prev(at))->request.priority < priority)
        --at;
    m_queue.insert(at, pending);
    pump();
}

void HttpClient::pump()
{
    qint64 soonest = -1;
    for (auto it = m_queue.begin(); it != m_queue.end();) {
        const RateLimiter::Admission admission = m_limiter.tryAcquire((*it)->key);
        if (admission.granted) {
            const PendingPtr p = *it;
            it = m_queue.erase(it);
            start(p);
            continue;
        }
        // waitMs 0: blocked by the concurrency cap; a finishing request pumps again.
        if (admission.waitMs > 0 && (soonest < 0 || admission.waitMs < soonest))
            soonest = admission.waitMs;
        ++it;
    }
    if (soonest >= 0 && (!m_pumpTimer.isActive() || m_pumpTimer.remainingTime() > soonest))
        m_pumpTimer.start(int(std::min<qint64>(soonest, std::numeric_limits<int>::max())));
}

int HttpClient::managerFor(TargetPlatform platform, const QString &origin)
{
    const int cap = m_limiter.maxConcurrent(platform);
    // No cap (0) or one within 6: a single manager, as a plain QNetworkAccessManager would be.
    const int allowed = std::max(1, (cap + kConnectionsPerManager - 1) / kConnectionsPerManager);
    int best = -1;
    for (int i = 0; i < std::min<int>(allowed, int(m_managers.size())); ++i) {
        if (best < 0
            || m_managers[i].openByOrigin.value(origin)
                   < m_managers[best].openByOrigin.value(origin))
            best = i;
    }
    const bool full
        = best < 0 || m_managers[best].openByOrigin.value(origin) >= kConnectionsPerManager;
    if (full && int(m_managers.size()) < allowed) {
        auto *network = new QNetworkAccessManager(this);
        // One cookie jar for all, so cookies behave as with one manager. setCookieJar() adopts
        // the jar; it stays the client's.
        if (!m_cookieJar)
            m_cookieJar = new QNetworkCookieJar(this);
        network->setCookieJar(m_cookieJar);
        m_cookieJar->setParent(this);
        m_managers.push_back(Manager{network, {}});
        qCDebug(lcTransport) << "network manager" << m_managers.size() << "for" << origin;
        best = int(m_managers.size()) - 1;
    }
    return best;
}

void HttpClient::start(const PendingPtr &pending)
{
    const HttpRequest &r = pending->request;
    QNetworkRequest request(r.url);
    for (const auto &[name, value] : r.headers)
        request.setRawHeader(name, value);
    request.setTransferTimeout(r.timeoutMs > 0 ? r.timeoutMs : m_defaultTimeoutMs);
    ++pending->attempts;
    qCDebug(lcTransport) << "sending" << pending->where << "attempt" << pending->attempts;
    pending->origin = originOf(r.url);
    pending->manager = managerFor(r.platform, pending->origin);
    Manager &manager = m_managers[pending->manager];
    ++manager.openByOrigin[pending->origin];
    QNetworkReply *reply = manager.network->sendCustomRequest(request, r.method, r.body);
    pending->reply = reply;
    connect(reply, &QNetworkReply::finished, this,
            [this, pending, reply] { onFinished(pending, reply); });
    // Nagle's algorithm is turned off on a new connection once it is open, at the reply's first
    // uploadProgress: it comes as soon as the first piece of a body is written (the next piece
    // is handed over from this thread after it), and at the end of a request with an empty body
    // (sendCustomRequest gives every request a body device), before the connection is reused.
    pending->onNewConnection = false;
    pending->nagleLookedFor = false;
    connect(reply, &QNetworkReply::socketStartedConnecting, this,
            [pending] { pending->onNewConnection = true; });
    connect(reply, &QNetworkReply::uploadProgress, this, [this, pending] {
        if (pending->onNewConnection && !std::exchange(pending->nagleLookedFor, true))
            disableNagle(pending->request.url);
    });
}

void HttpClient::disableNagle(const QUrl &url)
{
    TcpNoDelay::disableNagleOnConnectionsTo(quint16(portOf(url)));
}

void HttpClient::onFinished(const PendingPtr &pending, QNetworkReply *reply)
{
    reply->deleteLater();
    pending->reply = nullptr;
    m_limiter.release(pending->key);
    if (pending->manager >= 0) {
        int &open = m_managers[pending->manager].openByOrigin[pending->origin];
        open = std::max(0, open - 1);
        pending->manager = -1;
    }

    const HttpRequest &r = pending->request;
    const int status = reply->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt();
    const QNetworkReply::NetworkError networkError = reply->error();
    // QNetworkRequest's transfer timeout aborts the reply: the only abort not made by us.
    const bool timedOut = status == 0 && networkError == QNetworkReply::OperationCanceledError;
    HttpResponse response;
    response.status = status;
    response.headers = reply->rawHeaderPairs();
    if (reply->isOpen()) // not after a timeout abort
        response.body = reply->readAll();
    response.attempts = pending->attempts;

    const QDateTime nowUtc = QDateTime::currentDateTimeUtc();
    if (status > 0)
        m_limiter.learn(pending->key, status, response.headers, nowUtc);
    // The connection is free and what the answer says of the limits is learnt: a request
    // waiting for it is started now, before this answer is handed on (see finish()).
    pump();

    const RetryPolicy::Outcome outcome
        = RetryPolicy::classify(r.platform, status, networkError, timedOut, response.body);
    qCDebug(lcTransport) << pending->where << "attempt" << pending->attempts << "status" << status
                         << "network error" << networkError;

    if (outcome == RetryPolicy::Outcome::Success) {
        finish(pending, Reply(std::move(response)));
    } else {
        const std::optional<qint64> serverDelay
            = status > 0 ? HttpHeaderValues::serverRequestedDelayMs(r.platform, status,
                                                                    response.headers, nowUtc)
                         : std::nullopt;
        const RetryPolicy::Decision decision
            = m_retryPolicy.next(pending->attempts, outcome, r.isIdempotent(), serverDelay);
        if (decision.retry) {
            qCInfo(lcTransport) << pending->where << "status" << status << "- retrying in"
                                << decision.delayMs << "ms";
            QTimer::singleShot(std::chrono::milliseconds(decision.delayMs), Qt::PreciseTimer, this,
                               [this, pending] {
                                   if (m_open.contains(pending))
                                       enqueue(pending);
                               });
        } else if (status > 0) {
            finish(pending, Reply(ApiError::fromHttp(r.platform, status, response.body,
                                                     pending->where, pending->attempts)));
        } else {
            const int timeout = r.timeoutMs > 0 ? r.timeoutMs : m_defaultTimeoutMs;
            finish(pending, Reply(ApiError::fromNetwork(r.platform, networkError, timedOut, timeout,
                                                        pending->where, pending->attempts)));
        }
    }
    pump();
}

void HttpClient::finish(const PendingPtr &pending, Reply reply)
{
    // The answer is handed on from the event loop, after onFinished's pump(): a request waiting
    // for the connection this answer freed goes out first (QNetworkAccessManager starts it from
    // the event loop too), rather than after the answer's reader has run — which may parse a
    // large body and start more work, with the free connection idle meanwhile. Until then the
    // request stays open: a client closed in between answers it as cancelled.
    QMetaObject::invokeMethod(
        this,
        [this, pending, reply = std::move(reply)]() mutable {
            if (!m_open.removeOne(pending))
                return;
            pending->promise.addResult(std::move(reply));
            pending->promise.finish();
        },
        Qt::QueuedConnection);
}
