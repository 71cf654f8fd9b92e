#include "connectors/connectioncontroller.h"

#include "connectors/connectorfactory.h"
#include "connectors/transport/networkthread.h"
#include "sandbox/sandboxhost.h"
#include "secrets/secretkey.h"
#include "secrets/secretstore.h"
#include "store/projectstore.h"

#include <QLoggingCategory>
#include <QPointer>
#include <QRegularExpression>

Q_LOGGING_CATEGORY(lcConnections, "stagecoach.connections", QtWarningMsg)

using namespace Qt::StringLiterals;

using Outcome = ConnectionStatus::Outcome;

/// A test on its way: the connector must live until its future is answered.
struct ConnectionController::InFlight
{
    std::unique_ptr<SourceConnector> source;
    std::unique_ptr<TargetConnector> target;
};

ConnectionController::ConnectionController(ProjectStore *store, SecretStore *secrets, QObject *parent, RetrySettings retry)
    : QObject(parent), m_store(store), m_secrets(secrets), m_retry(retry)
{
}

ConnectionController::~ConnectionController()
{
    // Abort what is in flight and join the thread before the connectors its work refers to go.
    m_network.reset();
    m_inFlight.clear();
}

QList<TargetPlatform> ConnectionController::platforms() const
{
    const auto chosen = TargetPlatforms::fromKey(m_store->value(u"choice.platform"_s).toString());
    if (chosen && *chosen != TargetPlatform::Mailchimp)
        return {TargetPlatform::Mailchimp, *chosen};
    return {TargetPlatform::Mailchimp, TargetPlatform::Brevo, TargetPlatform::Klaviyo};
}

QString ConnectionController::baseUrlKey(TargetPlatform platform)
{
    return u"connection."_s + TargetPlatforms::key(platform) + u".baseUrl"_s;
}

QString ConnectionController::sandboxSettingKey()
{
    return QStringLiteral("connection.sandbox");
}

bool ConnectionController::usesDemoSandbox() const
{
    return m_store->value(sandboxSettingKey()).toString() == u"demo";
}

namespace {
/// The demo sandbox's endpoint of a platform; nullopt when it cannot run (its error is logged).
std::optional<SandboxEndpoint> demoEndpoint(TargetPlatform platform)
{
    const Result<SandboxHost *> host = SandboxHost::demo();
    if (!host) {
        qCWarning(lcConnections) << "demo sandbox:" << host.error().toString();
        return std::nullopt;
    }
    return host.value()->endpoint(platform);
}
} // namespace

QString ConnectionController::keyEnvironmentVariable(TargetPlatform platform)
{
    return u"STAGECOACH_%1_KEY"_s.arg(TargetPlatforms::key(platform).toUpper());
}

QUrl ConnectionController::baseUrl(TargetPlatform platform) const
{
    if (usesDemoSandbox()) {
        const auto e = demoEndpoint(platform);
        return e ? e->apiRoot : QUrl();
    }
    const QString text = m_store->value(baseUrlKey(platform)).toString();
    return text.isEmpty() ? QUrl() : QUrl(text);
}

bool ConnectionController::setBaseUrl(TargetPlatform platform, const QString &text)
{
    const QString trimmed = text.trimmed();
    if (!trimmed.isEmpty()) {
        const QUrl url(trimmed, QUrl::StrictMode);
        if (!url.isValid() || (url.scheme() != u"http" && url.scheme() != u"https") || url.host().isEmpty()) {
            Q_EMIT failed(Error{tr("“%1” is not an API address.").arg(trimmed), TargetPlatforms::displayName(platform),
                                tr("Type an address starting with http:// or https://, e.g. http://127.0.0.1:8080/3.0 "
                                   "for the sandbox, or leave it empty for the platform itself.")});
            return false;
        }
    }
    if (trimmed == m_store->value(baseUrlKey(platform)).toString())
        return true;
    if (Status s = m_store->setValue(baseUrlKey(platform), trimmed); !s) {
        Q_EMIT failed(s.error());
        return false;
    }
    return true;
}

QString ConnectionController::keyStateText(TargetPlatform platform) const
{
    switch (keyState(platform)) {
    case KeyState::Unknown: return {};
    case KeyState::Checking: return tr("Looking in the keychain…");
    case KeyState::Stored:
        return usesDemoSandbox() ? tr("The demo sandbox's key, valid while Stagecoach runs (nothing is stored).")
                                 : tr("A key is stored in the keychain.");
    case KeyState::NotStored: return tr("No key is stored.");
    case KeyState::KeychainError: return tr("The keychain cannot be read.");
    }
    return {};
}

void ConnectionController::setKeyState(TargetPlatform platform, KeyState state)
{
    m_keys[platform] = state;
    Q_EMIT keyStateChanged(TargetPlatforms::key(platform));
}

void ConnectionController::setStatus(TargetPlatform platform, ConnectionStatus status)
{
    qCInfo(lcConnections) << "connection test" << TargetPlatforms::key(platform) << int(status.outcome);
    m_status[platform] = std::move(status);
    Q_EMIT statusChanged(TargetPlatforms::key(platform));
}

void ConnectionController::settings(TargetPlatform platform,
                                    std::function<void(Result<ConnectionSettings>)> done,
                                    const QObject *context)
{
    const QPointer<const QObject> guard(context ? context : this);
    const auto answer = [this, guard, done](Result<ConnectionSettings> r) {
        // Always later, on this thread, as the keychain answers.
        QMetaObject::invokeMethod(this, [guard, done, r = std::move(r)]() mutable {
            if (guard)
                done(std::move(r));
        }, Qt::QueuedConnection);
    };
    if (usesDemoSandbox()) {
        const auto e = demoEndpoint(platform);
        if (!e) {
            answer(Error(tr("The demo sandbox could not start."), TargetPlatforms::displayName(platform),
                         tr("Another program may hold its ports; restart Stagecoach.")));
            return;
        }
        answer(ConnectionSettings{platform, e->apiKey, e->apiRoot});
        return;
    }
    const QUrl url = baseUrl(platform);
    // Scripts on a machine without a keychain (stagecoach run on a server, CI) hand the key in
    // the environment; it is used as it is and never stored.
    if (const QString fromEnv = qEnvironmentVariable(keyEnvironmentVariable(platform).toLatin1().constData());
        !fromEnv.isEmpty()) {
        answer(ConnectionSettings{platform, fromEnv, url});
        return;
    }
    auto key = SecretKey::forProject(*m_store, TargetPlatforms::key(platform));
    if (!key) {
        answer(key.error());
        return;
    }
    m_secrets->read(key.value(), [platform, url, answer](SecretStore::ReadResult r) {
        if (!r) {
            answer(r.error());
        } else if (!r.value()) {
            answer(Error(tr("No %1 API key is stored for this project.").arg(TargetPlatforms::displayName(platform)),
                         TargetPlatforms::displayName(platform),
                         tr("Save the key on the Connections step first.")));
        } else {
            answer(ConnectionSettings{platform, *r.value(), url});
        }
    }, this);
}

void ConnectionController::refreshKeys()
{
    if (usesDemoSandbox()) {
        // The sandbox's keys live as long as it runs; there is nothing in the keychain to look at.
        for (const TargetPlatform p : kAllTargetPlatforms)
            setKeyState(p, KeyState::Stored);
        return;
    }
    for (const TargetPlatform p : kAllTargetPlatforms) {
        auto key = SecretKey::forProject(*m_store, TargetPlatforms::key(p));
        if (!key) {
            setKeyState(p, KeyState::KeychainError);
            Q_EMIT failed(key.error());
            continue;
        }
        setKeyState(p, KeyState::Checking);
        m_secrets->read(key.value(), [this, p](SecretStore::ReadResult r) {
            // Only whether there is one: the key itself is dropped here.
            if (!r)
                setKeyState(p, KeyState::KeychainError);
            else
                setKeyState(p, r.value() ? KeyState::Stored : KeyState::NotStored);
        }, this);
    }
}

void ConnectionController::saveKey(TargetPlatform platform, const QString &secret)
{
    const QString trimmed = secret.trimmed();
    if (trimmed.isEmpty()) {
        Q_EMIT failed(Error{tr("There is no key to save."), TargetPlatforms::displayName(platform),
                            tr("Paste the API key first, or use Forget key to remove the stored one.")});
        return;
    }
    auto key = SecretKey::forProject(*m_store, TargetPlatforms::key(platform));
    if (!key) {
        Q_EMIT failed(key.error());
        return;
    }
    m_secrets->write(key.value(), trimmed, [this, platform](Status s) {
        if (!s) {
            Q_EMIT failed(s.error());
            return;
        }
        setKeyState(platform, KeyState::Stored);
    }, this);
}

void ConnectionController::forgetKey(TargetPlatform platform)
{
    auto key = SecretKey::forProject(*m_store, TargetPlatforms::key(platform));
    if (!key) {
        Q_EMIT failed(key.error());
        return;
    }
    m_secrets->remove(key.value(), [this, platform](Status s) {
        if (!s) {
            Q_EMIT failed(s.error());
            return;
        }
        setKeyState(platform, KeyState::NotStored);
    }, this);
}

void ConnectionController::revealKey(TargetPlatform platform, std::function<void(const QString &)> done, const QObject *context)
{
    if (usesDemoSandbox()) {
        settings(platform, [done](Result<ConnectionSettings> r) {
            if (r)
                done(r->apiKey);
        }, context);
        return;
    }
    auto key = SecretKey::forProject(*m_store, TargetPlatforms::key(platform));
    if (!key) {
        Q_EMIT failed(key.error());
        return;
    }
    m_secrets->read(key.value(), [this, platform, done = std::move(done)](SecretStore::ReadResult r) {
        if (!r) {
            Q_EMIT failed(r.error());
            return;
        }
        setKeyState(platform, r.value() ? KeyState::Stored : KeyState::NotStored);
        if (r.value())
            done(*r.value());
    }, context ? context : this);
}

QString ConnectionController::mailchimpDataCenter(const QString &key)
{
    // Mailchimp keys end in the account's data center: "0123…cdef-us21" (esp-apis §1.1).
    static const QRegularExpression re(u"-([a-z]{2,}[0-9]+)$"_s);
    const QRegularExpressionMatch m = re.match(key.trimmed());
    return m.hasMatch() ? m.captured(1) : QString();
}

QString ConnectionController::dataCenterText(const QString &key)
{
    if (key.trimmed().isEmpty())
        return {};
    const QString dc = mailchimpDataCenter(key);
    if (dc.isEmpty())
        return tr("The key should end in its data center, like -us21.");
    return tr("Data center: %1").arg(dc);
}

ConnectionStatus ConnectionController::fromError(TargetPlatform platform, const Error &e)
{
    ConnectionStatus s;
    s.httpStatus = e.httpStatus;
    s.hint = e.hint;
    if (e.httpStatus == 401 || e.httpStatus == 403) {
        // Mailchimp says which: "Wrong Datacenter" is its title for a key used on another data center.
        if (platform == TargetPlatform::Mailchimp && e.code.contains(u"datacenter"_s, Qt::CaseInsensitive)) {
            s.outcome = Outcome::WrongDataCenter;
            s.text = tr("Wrong data center: %1").arg(e.message);
        } else {
            s.outcome = Outcome::WrongKey;
            s.text = tr("Wrong key (%1): %2").arg(e.httpStatus).arg(e.message);
        }
    } else if (e.httpStatus == 429) {
        s.outcome = Outcome::RateLimited;
        s.text = tr("Rate limited (429): %1").arg(e.message);
    } else if (e.httpStatus == 0) {
        s.outcome = Outcome::NoNetwork;
        s.text = tr("No network: %1").arg(e.message);
    } else {
        s.outcome = Outcome::Failed;
        s.text = tr("The test failed (%1): %2").arg(e.httpStatus).arg(e.message);
    }
    return s;
}

void ConnectionController::testConnection(TargetPlatform platform, const QString &typedKey)
{
    const int generation = ++m_generation[platform];
    setStatus(platform, {Outcome::Testing, tr("Testing the connection…"), {}, {}, 0});
    const QString typed = typedKey.trimmed();
    if (!typed.isEmpty()) {
        startTest(platform, typed, generation);
        return;
    }
    if (usesDemoSandbox()) {
        settings(platform, [this, platform, generation](Result<ConnectionSettings> r) {
            if (generation != m_generation.value(platform))
                return;
            if (!r)
                setStatus(platform, {Outcome::Failed, r.error().message, r.error().hint, {}, 0});
            else
                startTest(platform, r->apiKey, generation);
        }, this);
        return;
    }
    auto key = SecretKey::forProject(*m_store, TargetPlatforms::key(platform));
    if (!key) {
        setStatus(platform, {Outcome::Failed, key.error().message, key.error().hint, {}, 0});
        return;
    }
    m_secrets->read(key.value(), [this, platform, generation](SecretStore::ReadResult r) {
        if (generation != m_generation.value(platform))
            return;
        if (!r) {
            setStatus(platform, {Outcome::Failed, r.error().message, r.error().hint, {}, 0});
            return;
        }
        if (!r.value()) {
            setKeyState(platform, KeyState::NotStored);
            setStatus(platform, {Outcome::NoKey, tr("No API key: paste one in the key field."), {}, {}, 0});
            return;
        }
        setKeyState(platform, KeyState::Stored);
        startTest(platform, *r.value(), generation);
    }, this);
}

void ConnectionController::startTest(TargetPlatform platform, const QString &key, int generation)
{
    ConnectionSettings settings{platform, key, baseUrl(platform)};
    if (platform == TargetPlatform::Mailchimp && settings.baseUrl.isEmpty() && mailchimpDataCenter(key).isEmpty()) {
        setStatus(platform, {Outcome::WrongDataCenter, tr("Wrong data center: the key does not end in one (like -us21)."),
                             tr("Copy the whole key from Mailchimp (Account, Extras, API keys)."), {}, 0});
        return;
    }
    if (!m_network)
        m_network = std::make_unique<NetworkThread>(RateLimiter::withPlatformDefaults(), RetryPolicy(m_retry));
    auto job = std::make_unique<InFlight>();
    QFuture<Result<AccountInfo>> future;
    if (platform == TargetPlatform::Mailchimp) {
        job->source = ConnectorFactory::source(settings, m_network->client());
        if (job->source)
            future = job->source->testConnection();
    } else {
        job->target = ConnectorFactory::target(settings, m_network->client());
        if (job->target)
            future = job->target->testConnection();
    }
    if (!job->source && !job->target) {
        setStatus(platform, {Outcome::Unavailable,
                             tr("Connecting to %1 is not available in this build.").arg(TargetPlatforms::displayName(platform)),
                             tr("Work from export files instead: add them on the Assessment step."), {}, 0});
        return;
    }
    InFlight *raw = job.get();
    m_inFlight.push_back(std::move(job));
    future.then(this, [this, platform, generation, raw](Result<AccountInfo> r) {
        // The connector is done with: drop it (its future is answered).
        m_inFlight.remove_if([raw](const std::unique_ptr<InFlight> &j) { return j.get() == raw; });
        if (generation != m_generation.value(platform))
            return;
        if (!r) {
            setStatus(platform, fromError(platform, r.error()));
            return;
        }
        ConnectionStatus s;
        s.outcome = Outcome::Connected;
        s.account = r.value();
        const QString name = s.account.name.isEmpty() ? s.account.id : s.account.name;
        s.text = s.account.detail.isEmpty() ? tr("Connected to %1").arg(name) : tr("Connected to %1 (%2)").arg(name, s.account.detail);
        setStatus(platform, s);
    });
}

void ConnectionController::readFields(TargetPlatform platform, const QString &audienceId,
                                      std::function<void(Result<QList<FieldDefinition>>)> done,
                                      const QObject *context)
{
    const QPointer<const QObject> guard(context ? context : this);
    settings(platform, [this, platform, audienceId, guard, done](Result<ConnectionSettings> settings) {
        if (!settings) {
            done(settings.error());
            return;
        }
        if (!m_network)
            m_network = std::make_unique<NetworkThread>(RateLimiter::withPlatformDefaults(), RetryPolicy(m_retry));
        auto job = std::make_unique<InFlight>();
        job->source = ConnectorFactory::source(settings.value(), m_network->client());
        if (!job->source) {
            done(Error(tr("Reading %1 is not available in this build.").arg(TargetPlatforms::displayName(platform))));
            return;
        }
        InFlight *raw = job.get();
        QFuture<Result<QList<FieldDefinition>>> future = job->source->fields(audienceId);
        m_inFlight.push_back(std::move(job));
        future.then(this, [this, raw, guard, done](Result<QList<FieldDefinition>> r) {
            m_inFlight.remove_if([raw](const std::unique_ptr<InFlight> &j) { return j.get() == raw; });
            if (guard)
                done(std::move(r));
        });
    }, this);
}
