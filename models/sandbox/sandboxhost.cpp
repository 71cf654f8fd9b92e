#include "sandbox/sandboxhost.h"

#include "sandbox/brevosandbox.h"
#include "sandbox/klaviyosandbox.h"
#include "sandbox/mailchimpsandbox.h"

#include <QMutex>
#include <QRandomGenerator>

namespace {

/// Random hex for keys: nothing real is ever mistaken for a sandbox key.
QString randomHex(int bytes)
{
    QString out;
    for (int i = 0; i < bytes; ++i)
        out += QString::number(QRandomGenerator::system()->bounded(256) | 0x100, 16).right(2);
    return out;
}

} // namespace

struct SandboxHost::Servers
{
    // Keys shaped like the platforms' own: Mailchimp names its data center after the dash
    // (esp-apis.md 1.1), Brevo's start "xkeysib-", Klaviyo's private keys "pk_".
    MailchimpSandbox mailchimp{randomHex(16) + QStringLiteral("-us21")};
    BrevoSandbox brevo{QStringLiteral("xkeysib-") + randomHex(32) + u'-' + randomHex(8)};
    KlaviyoSandbox klaviyo{QStringLiteral("pk_") + randomHex(17)};
    SandboxServer mailchimpServer{mailchimp};
    SandboxServer brevoServer{brevo};
    SandboxServer klaviyoServer{klaviyo};
};

SandboxHost::SandboxHost()
{
    m_thread.setObjectName(QStringLiteral("stagecoach-sandbox"));
    m_thread.start();
    m_context = new QObject;
    m_context->moveToThread(&m_thread);
}

SandboxHost::~SandboxHost()
{
    QMetaObject::invokeMethod(
        m_context,
        [this] {
            m_servers.reset();
            delete m_context;
        },
        Qt::BlockingQueuedConnection);
    m_thread.quit();
    m_thread.wait();
}

Result<QList<SandboxEndpoint>> SandboxHost::start(const SandboxHostOptions &options)
{
    if (isRunning())
        return m_endpoints;
    std::optional<Error> error;
    QList<SandboxEndpoint> endpoints;
    QMetaObject::invokeMethod(
        m_context,
        [&] {
            auto s = std::make_unique<Servers>();
            const QString audience = options.demoSeed ? s->mailchimp.seedDemo(options.contacts)
                                                      : s->mailchimp.seedEmpty();
            s->brevo.seedEmpty();
            s->klaviyo.seedEmpty();
            s->mailchimpServer.setConcurrencyLimit(10); // Mailchimp's simultaneous connections
            const auto listen = [&](SandboxServer &server, TargetPlatform platform, int offset) {
                server.setFaults(options.faults);
                const quint16 port = options.firstPort == 0 ? 0 : quint16(options.firstPort + offset);
                if (server.listen(port) != 0)
                    return true;
                error = Error(tr("The %1 sandbox cannot listen on 127.0.0.1 port %2.")
                                  .arg(TargetPlatforms::displayName(platform))
                                  .arg(port),
                              {}, tr("Another program may use the port; choose another one."));
                return false;
            };
            if (!listen(s->mailchimpServer, TargetPlatform::Mailchimp, 0)
                || !listen(s->brevoServer, TargetPlatform::Brevo, 1)
                || !listen(s->klaviyoServer, TargetPlatform::Klaviyo, 2))
                return;
            const auto root = [](const SandboxServer &server, const char *path) {
                return QUrl(server.baseUrl().toString() + QLatin1String(path));
            };
            endpoints = {
                {TargetPlatform::Mailchimp, root(s->mailchimpServer, "/3.0"), s->mailchimp.apiKey(), audience},
                {TargetPlatform::Brevo, root(s->brevoServer, "/v3"), s->brevo.apiKey(), {}},
                {TargetPlatform::Klaviyo, root(s->klaviyoServer, "/api"), s->klaviyo.apiKey(), {}},
            };
            m_servers = std::move(s);
        },
        Qt::BlockingQueuedConnection);
    if (error)
        return *error;
    m_endpoints = endpoints;
    return endpoints;
}

std::optional<SandboxEndpoint> SandboxHost::endpoint(TargetPlatform platform) const
{
    for (const SandboxEndpoint &e : m_endpoints) {
        if (e.platform == platform)
            return e;
    }
    return std::nullopt;
}

void SandboxHost::inspect(
    const std::function<void(MailchimpSandbox &, BrevoSandbox &, KlaviyoSandbox &)> &fn)
{
    QMetaObject::invokeMethod(
        m_context,
        [&] {
            if (m_servers)
                fn(m_servers->mailchimp, m_servers->brevo, m_servers->klaviyo);
        },
        Qt::BlockingQueuedConnection);
}

void SandboxHost::server(TargetPlatform platform, const std::function<void(SandboxServer &)> &fn)
{
    QMetaObject::invokeMethod(
        m_context,
        [&] {
            if (!m_servers)
                return;
            switch (platform) {
            case TargetPlatform::Mailchimp:
                fn(m_servers->mailchimpServer);
                break;
            case TargetPlatform::Brevo:
                fn(m_servers->brevoServer);
                break;
            case TargetPlatform::Klaviyo:
                fn(m_servers->klaviyoServer);
                break;
            }
        },
        Qt::BlockingQueuedConnection);
}

int SandboxHost::serverValue(TargetPlatform platform, int (SandboxServer::*read)() const)
{
    int value = 0;
    server(platform, [&](SandboxServer &s) { value = (s.*read)(); });
    return value;
}

int SandboxHost::requestCount(TargetPlatform platform)
{
    return serverValue(platform, &SandboxServer::requestCount);
}

int SandboxHost::peakInFlight(TargetPlatform platform)
{
    return serverValue(platform, &SandboxServer::peakInFlight);
}

int SandboxHost::inFlight(TargetPlatform platform)
{
    return serverValue(platform, &SandboxServer::inFlight);
}

int SandboxHost::heldCount(TargetPlatform platform)
{
    return serverValue(platform, &SandboxServer::heldCount);
}

namespace {
QMutex g_demoMutex;
SandboxHost *g_demo = nullptr; // lives until the application object goes, like the demo it serves

void stopDemo()
{
    QMutexLocker lock(&g_demoMutex);
    delete std::exchange(g_demo, nullptr);
}
} // namespace

Result<SandboxHost *> SandboxHost::demo()
{
    QMutexLocker lock(&g_demoMutex);
    if (!g_demo) {
        g_demo = new SandboxHost;
        qAddPostRoutine(stopDemo);
    }
    SandboxHost *host = g_demo;
    if (!host->isRunning()) {
        const Result<QList<SandboxEndpoint>> started = host->start();
        if (!started)
            return started.error();
    }
    return host;
}
