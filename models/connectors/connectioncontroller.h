#pragma once

#include "connectors/connector.h"
#include "connectors/targetplatform.h"
#include "connectors/transport/retrypolicy.h"
#include "core/result.h"

#include <QHash>
#include <QObject>
#include <QUrl>

#include <functional>
#include <list>
#include <memory>
#include <optional>

class NetworkThread;
class ProjectStore;
class SecretStore;

/** What the last "Test connection" of a platform found. */
struct ConnectionStatus
{
    enum class Outcome {
        Untested,
        Testing,
        Connected,
        NoKey,           ///< no key typed and none stored
        WrongKey,        ///< the platform refused the key (401/403)
        WrongDataCenter, ///< Mailchimp: the key's data center is missing or not the server's
        NoNetwork,       ///< no answer: connection refused, host not found, timeout
        RateLimited,     ///< 429, retries exhausted
        Failed,          ///< any other refusal
        Unavailable,     ///< no connector for the platform in this build
    };
    Outcome outcome = Outcome::Untested;
    QString text; ///< one line, translated: "Connected to Acme (us21)", "Wrong key (401): …"
    QString hint; ///< what to do, translated; may be empty
    AccountInfo account;
    int httpStatus = 0;
};

/**
 * The connections step without its widgets: per platform (Mailchimp, the source, and the
 * target(s)) whether an API key is stored, the optional API address (the sandbox's; saved in
 * the project's settings as "connection.<platform>.baseUrl", it is not secret) and "Test
 * connection". Keys go only to the keychain (SecretStore), never to the project, its settings or
 * a log. Tests run on a NetworkThread this controller owns; answers come back on its thread.
 */
class ConnectionController : public QObject
{
    Q_OBJECT

public:
    enum class KeyState { Unknown, Checking, Stored, NotStored, KeychainError };

    ConnectionController(ProjectStore *store, SecretStore *secrets, QObject *parent = nullptr,
                         RetrySettings retry = RetrySettings());
    ~ConnectionController() override;

    /// Mailchimp, then the chosen target; Brevo and Klaviyo both while none is chosen.
    QList<TargetPlatform> platforms() const;

    /// The API address override; empty: the platform's public API. The demo sandbox's address
    /// when the project rehearses against it.
    QUrl baseUrl(TargetPlatform platform) const;

    /// The project rehearses against the demo sandbox (setting "connection.sandbox" = "demo"):
    /// addresses and keys come from SandboxHost::demo(), nothing is read from or written to the
    /// keychain.
    bool usesDemoSandbox() const;
    static QString sandboxSettingKey(); ///< "connection.sandbox"

    /**
     * Everything a connector needs for `platform`: the address and the stored key (or the demo
     * sandbox's). `done` gets an Error when no key is stored or the keychain cannot be read; it
     * is called on this object's thread, never once `context` is gone.
     */
    void settings(TargetPlatform platform,
                  std::function<void(Result<ConnectionSettings>)> done, const QObject *context);
    /// Saves the override; an empty text removes it. Refuses what is not an http(s) address.
    bool setBaseUrl(TargetPlatform platform, const QString &url);
    static QString baseUrlKey(TargetPlatform platform); ///< "connection.mailchimp.baseUrl"
    /// "STAGECOACH_BREVO_KEY": a key set there is used instead of the keychain's (scripts, CI);
    /// it is never stored.
    static QString keyEnvironmentVariable(TargetPlatform platform);

    KeyState keyState(TargetPlatform platform) const { return m_keys.value(platform, KeyState::Unknown); }
    /// "A key is stored in the keychain." …, translated.
    QString keyStateText(TargetPlatform platform) const;
    /// Asks the keychain which platforms have a key (without keeping the keys).
    void refreshKeys();
    void saveKey(TargetPlatform platform, const QString &key);
    void forgetKey(TargetPlatform platform);
    /// Reads the stored key for showing it; `done` is not called once `context` is gone.
    void revealKey(TargetPlatform platform, std::function<void(const QString &key)> done, const QObject *context);

    /**
     * Reads the field definitions a platform already has (Brevo's attributes, Klaviyo's
     * properties, the fields of a Mailchimp audience `audienceId`) with the stored key, off the GUI
     * thread. `done` is called on this object's thread, not once `context` is gone.
     */
    void readFields(TargetPlatform platform, const QString &audienceId,
                    std::function<void(Result<QList<FieldDefinition>>)> done, const QObject *context);

    /// Tests `typedKey`, or the stored key when it is empty. The answer comes as statusChanged().
    void testConnection(TargetPlatform platform, const QString &typedKey = {});
    ConnectionStatus status(TargetPlatform platform) const { return m_status.value(platform); }
    bool isTesting() const { return !m_inFlight.empty(); }

    /// Mailchimp's data center from a key ("…-us21" -> "us21"); empty when the key has none.
    static QString mailchimpDataCenter(const QString &key);
    /// What the key field says about it live, translated: "Data center: us21", or what is missing.
    static QString dataCenterText(const QString &key);
    /// Reads a refusal as the test's outcome (wrong key, wrong data center, no network …).
    static ConnectionStatus fromError(TargetPlatform platform, const Error &error);

Q_SIGNALS:
    void keyStateChanged(const QString &platform);
    void statusChanged(const QString &platform);
    void platformsChanged();
    /// Saving a setting or using the keychain failed; nothing was changed.
    void failed(const Error &error);

private:
    struct InFlight;
    void setKeyState(TargetPlatform platform, KeyState state);
    void setStatus(TargetPlatform platform, ConnectionStatus status);
    void startTest(TargetPlatform platform, const QString &key, int generation);

    ProjectStore *m_store;
    SecretStore *m_secrets;
    RetrySettings m_retry;
    std::unique_ptr<NetworkThread> m_network; // created on the first test
    QHash<TargetPlatform, KeyState> m_keys;
    QHash<TargetPlatform, ConnectionStatus> m_status;
    QHash<TargetPlatform, int> m_generation;
    std::list<std::unique_ptr<InFlight>> m_inFlight;
};
