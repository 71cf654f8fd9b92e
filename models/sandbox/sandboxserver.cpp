#include "sandbox/sandboxserver.h"

#include <QHostAddress>
#include <QHttpServer>
#include <QHttpServerRequest>
#include <QHttpServerResponder>
#include <QLoggingCategory>
#include <QPointer>
#include <QTcpServer>
#include <QTcpSocket>
#include <QElapsedTimer>
#include <QTimer>

Q_LOGGING_CATEGORY(lcSandbox, "stagecoach.sandbox")

namespace {

QByteArray methodName(QHttpServerRequest::Method m)
{
    switch (m) {
    case QHttpServerRequest::Method::Get:
        return QByteArrayLiteral("GET");
    case QHttpServerRequest::Method::Put:
        return QByteArrayLiteral("PUT");
    case QHttpServerRequest::Method::Delete:
        return QByteArrayLiteral("DELETE");
    case QHttpServerRequest::Method::Post:
        return QByteArrayLiteral("POST");
    case QHttpServerRequest::Method::Head:
        return QByteArrayLiteral("HEAD");
    case QHttpServerRequest::Method::Options:
        return QByteArrayLiteral("OPTIONS");
    case QHttpServerRequest::Method::Patch:
        return QByteArrayLiteral("PATCH");
    default:
        return QByteArrayLiteral("OTHER");
    }
}

/// Accepts connections with Nagle's algorithm off. QHttpServer writes an answer's head and body
/// separately; with Nagle on, the body waits for the client's (delayed, ~40 ms) ACK of the head,
/// which made a sandbox answer take 40 ms more than its work about every second request.
class LowDelayTcpServer : public QTcpServer
{
protected:
    void incomingConnection(qintptr handle) override
    {
        auto *socket = new QTcpSocket(this);
        if (!socket->setSocketDescriptor(handle)) {
            delete socket;
            return;
        }
        socket->setSocketOption(QAbstractSocket::LowDelayOption, 1);
        addPendingConnection(socket);
    }
};

} // namespace

SandboxServer::SandboxServer(SandboxApi &api, QObject *parent)
    : QObject(parent)
    , m_api(api)
    , m_http(std::make_unique<QHttpServer>())
    , m_random(1)
{
    // No routes: every request reaches the API, which routes by itself and answers unknown paths
    // with the platform's own 404 body.
    m_http->setMissingHandler(
        [this](const QHttpServerRequest &request, QHttpServerResponder &&responder) {
            onRequest(request, std::move(responder));
        });
}

SandboxServer::~SandboxServer() = default;

quint16 SandboxServer::listen(quint16 port)
{
    // bind() rather than listen(): the form that also exists in newer Qt (see toolchain.md §5).
    auto *tcp = new LowDelayTcpServer;
    if (!tcp->listen(QHostAddress::LocalHost, port)) {
        qCWarning(lcSandbox) << "cannot listen on 127.0.0.1:" << port << tcp->errorString();
        delete tcp;
        return 0;
    }
    m_http->bind(tcp);
    m_port = tcp->serverPort();
    return m_port;
}

QUrl SandboxServer::baseUrl() const
{
    QUrl url;
    url.setScheme(QStringLiteral("http"));
    url.setHost(QStringLiteral("127.0.0.1"));
    url.setPort(m_port);
    return url;
}

void SandboxServer::setFaults(const SandboxFaults &faults)
{
    m_faults = faults;
    m_random.seed(faults.seed);
}

int SandboxServer::drawFault()
{
    if (m_faults.kinds == 0 || m_faults.rate <= 0.0 || m_random.generateDouble() >= m_faults.rate)
        return 0;
    QList<int> kinds;
    for (int k = SandboxFaults::TooManyRequests; k <= SandboxFaults::TruncatedBody; k <<= 1) {
        if (m_faults.kinds & k)
            kinds.append(k);
    }
    return kinds.at(int(m_random.bounded(quint32(kinds.size()))));
}

int SandboxServer::requestCount(const QByteArray &method, const QString &path) const
{
    return m_requestsByPath.value(method + ' ' + path.toUtf8());
}

void SandboxServer::releaseHeld(const HoldFilter &which)
{
    std::vector<Held> release;
    for (auto it = m_held.begin(); it != m_held.end();) {
        if (!which || which(it->request)) {
            release.push_back(std::move(*it));
            it = m_held.erase(it);
        } else {
            ++it;
        }
    }
    for (const Held &h : release)
        answer(h.responder, h.response);
}

void SandboxServer::onRequest(const QHttpServerRequest &request, QHttpServerResponder &&responder)
{
    QElapsedTimer handling; // the latency counts from the request's arrival
    handling.start();
    ++m_requestCount;
    ++m_requestsByPath[methodName(request.method()) + ' ' + request.url().path().toUtf8()];
    auto shared = std::make_shared<QHttpServerResponder>(std::move(responder));

    if (m_concurrencyLimit > 0 && m_inFlight >= m_concurrencyLimit) {
        answer(shared, m_api.tooManyRequests());
        return;
    }

    SandboxResponse response;
    const int fault = drawFault();
    switch (fault) {
    case SandboxFaults::Stall:
        ++m_inFlight; // held open: it counts against the concurrency limit, as on the platform
        m_stalled.push_back(shared);
        return;
    case SandboxFaults::TooManyRequests:
        response = m_api.tooManyRequests();
        if (m_faults.retryAfterSeconds > 0)
            response.headers.append(
                {QByteArrayLiteral("Retry-After"), QByteArray::number(m_faults.retryAfterSeconds)});
        break;
    case SandboxFaults::Unavailable:
        response = m_api.problem(503, QStringLiteral("Service Unavailable"),
                                 QStringLiteral("The sandbox injected a 503 fault."));
        break;
    case SandboxFaults::BareForbidden:
        response.status = 403;
        response.contentType = QByteArrayLiteral("text/html");
        break;
    default: {
        // Faults 429/503/403 are decided before the API runs, so a refused write changes nothing.
        SandboxRequest r;
        r.method = methodName(request.method());
        r.path = request.url().path();
        r.query = request.query();
        r.authorization = request.value(QByteArrayLiteral("authorization"));
        for (const auto &[name, value] : request.headers())
            r.headers.append({name.toLower(), value});
        r.body = request.body();
        response = m_api.handle(r);
        if (fault == SandboxFaults::TruncatedBody)
            response.body.truncate(response.body.size() / 2);
        if (m_hold && m_hold(r)) {
            m_held.push_back(Held{std::move(r), shared, std::move(response)});
            return;
        }
    }
    }

    if (m_faults.latencyMs <= 0) {
        answer(shared, response);
        return;
    }
    m_peakInFlight = std::max(m_peakInFlight, ++m_inFlight);
    // A platform's response time includes its work on the request: the answer goes out
    // latencyMs after the request arrived, or at once if handling it took longer.
    const int wait = int(std::max<qint64>(0, m_faults.latencyMs - handling.elapsed()));
    QTimer::singleShot(wait, Qt::PreciseTimer, this, [this, shared, response] {
        --m_inFlight;
        answer(shared, response);
    });
}

void SandboxServer::answer(const std::shared_ptr<QHttpServerResponder> &responder,
                           const SandboxResponse &r)
{
    // HeaderList is an initializer_list in 6.4, so the headers are written one by one.
    responder->writeStatusLine(QHttpServerResponder::StatusCode(r.status));
    responder->writeHeader(QByteArrayLiteral("Content-Type"), r.contentType);
    for (const auto &h : r.headers)
        responder->writeHeader(h.first, h.second);
    responder->writeHeader(QByteArrayLiteral("Content-Length"), QByteArray::number(r.body.size()));
    responder->writeBody(r.body);
}
