#include "connectors/transport/httpclient.h"

#include "connectors/transport/apierror.h"

#include <QLoggingCategory>
#include <QNetworkAccessManager>
#include <QNetworkReply>
#include <QNetworkRequest>
#include <QPointer>
#include <QPromise>

Q_LOGGING_CATEGORY(lcTransport, "stagecoach.transport", QtWarningMsg)

struct HttpClient::Pending
{
    HttpRequest request;
    QPromise<Reply> promise;
    RateLimiter::Key key;
    QString where;
    int attempts = 0;
    QPointer<QNetworkReply> reply;
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
    m_queue.append(pending);
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

void HttpClient::start(const PendingPtr &pending)
{
    if (!m_network)
        m_network = new QNetworkAccessManager(this);
    const HttpRequest &r = pending->request;
    QNetworkRequest request(r.url);
    for (const auto &[name, value] : r.headers)
        request.setRawHeader(name, value);
    request.setTransferTimeout(r.timeoutMs > 0 ? r.timeoutMs : m_defaultTimeoutMs);
    ++pending->attempts;
    qCDebug(lcTransport) << "sending" << pending->where << "attempt" << pending->attempts;
    QNetworkReply *reply = m_network->sendCustomRequest(request, r.method, r.body);
    pending->reply = reply;
    connect(reply, &QNetworkReply::finished, this,
            [this, pending, reply] { onFinished(pending, reply); });
}

void HttpClient::onFinished(const PendingPtr &pending, QNetworkReply *reply)
{
    reply->deleteLater();
    pending->reply = nullptr;
    m_limiter.release(pending->key);

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
    m_open.removeOne(pending);
    pending->promise.addResult(std::move(reply));
    pending->promise.finish();
}
