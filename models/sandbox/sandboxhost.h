#pragma once

#include "connectors/targetplatform.h"
#include "core/result.h"
#include "sandbox/sandboxserver.h"

#include <QCoreApplication>
#include <QList>
#include <QString>
#include <QThread>
#include <QUrl>

#include <functional>
#include <memory>
#include <optional>

class MailchimpSandbox;
class BrevoSandbox;
class KlaviyoSandbox;

/** Where one emulated platform answers, and with which key. */
struct SandboxEndpoint
{
    TargetPlatform platform = TargetPlatform::Mailchimp;
    QUrl apiRoot;       ///< e.g. http://127.0.0.1:41234/3.0: what ConnectionSettings::baseUrl takes
    QString apiKey;     ///< random for each run, shaped like the platform's keys
    QString audienceId; ///< Mailchimp: the seeded audience; empty elsewhere
};

struct SandboxHostOptions
{
    quint16 firstPort = 0;  ///< Mailchimp's port; Brevo and Klaviyo take the next two. 0: free ports
    bool demoSeed = true;   ///< Mailchimp seeded with contacts in every status; else empty
    int contacts = 2500;    ///< contacts in the demo audience
    SandboxFaults faults;   ///< the same for all three
};

/**
 * The three platform emulations (Mailchimp seeded, Brevo and Klaviyo empty) served on 127.0.0.1
 * from a thread of their own, so that whoever talks to them - the wizard on the demo project,
 * `stagecoach sandbox`, a test - may block or wait without stalling them. State lives as long as
 * the host.
 */
class SandboxHost
{
    Q_DECLARE_TR_FUNCTIONS(SandboxHost)

public:
    SandboxHost();
    ~SandboxHost();
    SandboxHost(const SandboxHost &) = delete;
    SandboxHost &operator=(const SandboxHost &) = delete;

    /// Seeds the accounts and starts listening; an Error names the port that could not be taken.
    Result<QList<SandboxEndpoint>> start(const SandboxHostOptions &options = {});
    bool isRunning() const { return !m_endpoints.isEmpty(); }

    QList<SandboxEndpoint> endpoints() const { return m_endpoints; }
    std::optional<SandboxEndpoint> endpoint(TargetPlatform platform) const;

    /**
     * Runs `fn` on the sandbox thread with the three accounts and waits for it: the only safe way
     * to look at (or change) their state while they serve requests.
     */
    void inspect(const std::function<void(MailchimpSandbox &, BrevoSandbox &, KlaviyoSandbox &)> &fn);

    /// Requests the platform's server received so far, refused and faulted ones included
    /// (SandboxServer::requestCount; for benchmarks). 0 when not running.
    int requestCount(TargetPlatform platform);
    /// SandboxServer::peakInFlight of the platform's server (with latency). 0 when not running.
    int peakInFlight(TargetPlatform platform);
    /// SandboxServer::inFlight of the platform's server (answers waiting for their latency).
    int inFlight(TargetPlatform platform);
    /// SandboxServer::heldCount of the platform's server.
    int heldCount(TargetPlatform platform);

    /**
     * Runs `fn` on the sandbox thread with the platform's server and waits for it: to change its
     * faults, or hold and release answers (SandboxServer::setHold), while it serves.
     */
    void server(TargetPlatform platform, const std::function<void(SandboxServer &)> &fn);

    /// The process-wide host the demo project rehearses against, started on first use.
    static Result<SandboxHost *> demo();

private:
    /// `read` of the platform's server, on the host's thread; 0 when not running.
    int serverValue(TargetPlatform platform, int (SandboxServer::*read)() const);
    struct Servers;
    QThread m_thread;
    QObject *m_context = nullptr; // lives on m_thread
    std::unique_ptr<Servers> m_servers; // created, used and destroyed on m_thread
    QList<SandboxEndpoint> m_endpoints;
};
