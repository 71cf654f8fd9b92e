#pragma once

#include "sandbox/sandboxapi.h"

#include <QHash>
#include <QObject>
#include <QRandomGenerator>
#include <QUrl>

#include <functional>
#include <memory>
#include <vector>

class QHttpServer;
class QHttpServerRequest;
class QHttpServerResponder;

/** Failures a sandbox server injects, so connectors can be tested against a misbehaving platform.
 */
struct SandboxFaults
{
    enum Kind {
        TooManyRequests = 0x01, ///< 429 with the platform's error body (and Retry-After if set)
        Unavailable = 0x02,     ///< 503 with the platform's error body
        BareForbidden = 0x04,   ///< 403 with an empty body (Mailchimp's throttling quirk)
        Stall = 0x08,           ///< no answer at all: the client must time out
        TruncatedBody = 0x10,   ///< the real answer cut in half (Content-Length matches the cut)
    };

    double rate = 0.0;         ///< share of requests that fail, 0..1
    quint32 seed = 1;          ///< the same seed gives the same sequence of faults
    int kinds = 0;             ///< Kind flags; a failing request gets one of them at random
    int retryAfterSeconds = 1; ///< Retry-After on injected 429s; 0 sends none (as Mailchimp)
    int latencyMs = 0;         ///< every answer goes out this long after its request arrived
};

/**
 * An HTTP server on 127.0.0.1 in front of a SandboxApi: every request goes to the API, then the
 * server adds latency, injected faults and an optional limit of simultaneous requests.
 * Lives on one thread with its API; clients on the same thread must wait with an event loop.
 */
class SandboxServer : public QObject
{
    Q_OBJECT
public:
    explicit SandboxServer(SandboxApi &api, QObject *parent = nullptr);
    ~SandboxServer() override;

    /// Listens on 127.0.0.1; port 0 takes any free port. Returns the port, 0 on failure.
    quint16 listen(quint16 port = 0);
    quint16 port() const { return m_port; }
    /// http://127.0.0.1:<port>
    QUrl baseUrl() const;

    void setFaults(const SandboxFaults &faults);
    const SandboxFaults &faults() const { return m_faults; }

    /// At most `limit` requests answered at once; the next gets the API's 429. 0: no limit.
    void setConcurrencyLimit(int limit) { m_concurrencyLimit = limit; }
    int inFlight() const { return m_inFlight; }
    /// The most requests held at once by the latency (how many a client had in flight).
    int peakInFlight() const { return m_peakInFlight; }

    /// Requests received so far (including refused and faulted ones).
    int requestCount() const { return m_requestCount; }
    /// Requests received so far with this method and path (no query), e.g. ("GET",
    /// "/3.0/lists/abc/segments"), refused and faulted ones included.
    int requestCount(const QByteArray &method, const QString &path) const;

    /// Decides, for every request the API has handled, whether its answer is held back.
    using HoldFilter = std::function<bool(const SandboxRequest &)>;
    /**
     * Holds back the answers of the requests `filter` accepts from now on (an empty filter: none)
     * until releaseHeld(): the platform has done the work and its answer is still on its way, for
     * as long as a test wants. The filter sees every request the API handles, on this thread.
     * Answers already held stay held.
     */
    void setHold(HoldFilter filter) { m_hold = std::move(filter); }
    /// Sends the held answers of the requests `which` accepts (all when empty), oldest first.
    void releaseHeld(const HoldFilter &which = {});
    /// Answers held back now.
    int heldCount() const { return int(m_held.size()); }

private:
    void onRequest(const QHttpServerRequest &request, QHttpServerResponder &&responder);
    void answer(const std::shared_ptr<QHttpServerResponder> &responder, const SandboxResponse &r);
    int drawFault();

    SandboxApi &m_api;
    std::unique_ptr<QHttpServer> m_http;
    SandboxFaults m_faults;
    QRandomGenerator m_random;
    quint16 m_port = 0;
    int m_concurrencyLimit = 0;
    int m_inFlight = 0;
    int m_peakInFlight = 0;
    int m_requestCount = 0;
    QHash<QByteArray, int> m_requestsByPath; // "METHOD /path"
    std::vector<std::shared_ptr<QHttpServerResponder>> m_stalled; // held open until destruction
    struct Held
    {
        SandboxRequest request;
        std::shared_ptr<QHttpServerResponder> responder;
        SandboxResponse response;
    };
    HoldFilter m_hold;
    std::vector<Held> m_held; // answered by releaseHeld(), else dropped unanswered at destruction
};
