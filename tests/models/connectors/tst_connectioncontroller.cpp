#include "connectors/connectioncontroller.h"
#include "sandbox/brevosandbox.h"
#include "sandbox/klaviyosandbox.h"
#include "sandbox/mailchimpsandbox.h"
#include "sandbox/sandboxhost.h"
#include "sandbox/sandboxserver.h"
#include "secrets/secretstore.h"
#include "store/projectstore.h"

#include <QFile>
#include <QSignalSpy>
#include <QSqlQuery>
#include <QStandardPaths>
#include <QTcpServer>
#include <QTemporaryDir>
#include <QTest>

using namespace Qt::StringLiterals;

namespace {

using Outcome = ConnectionStatus::Outcome;

const QString kMailchimpKey = u"0123456789abcdef0123456789abcdef-us21"_s;
const QString kBrevoKey = u"xkeysib-0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef-Ab12Cd34Ef56Gh78"_s;
const QString kKlaviyoKey = u"pk_0123456789abcdef0123456789abcdef01"_s;

const QString kKeyringSkip = u"needs a throw-away Secret Service: run packaging/setup.sh test (it starts gnome-keyring in a "
                             "private D-Bus session and sets STAGECOACH_KEYRING_TESTS=1)."_s;

/// The API root of a sandbox, as the connectors expect it (ConnectionSettings::baseUrl).
QString apiRoot(TargetPlatform platform, const QUrl &server)
{
    const QString base = server.toString();
    switch (platform) {
    case TargetPlatform::Mailchimp: return base + u"/3.0"_s;
    case TargetPlatform::Brevo: return base + u"/v3"_s;
    case TargetPlatform::Klaviyo: return base + u"/api"_s;
    }
    return base;
}

QString rightKey(TargetPlatform platform)
{
    switch (platform) {
    case TargetPlatform::Mailchimp: return kMailchimpKey;
    case TargetPlatform::Brevo: return kBrevoKey;
    case TargetPlatform::Klaviyo: return kKlaviyoKey;
    }
    return {};
}

/// A sandbox of the platform with its server on 127.0.0.1.
struct Sandbox
{
    std::unique_ptr<SandboxApi> api;
    std::unique_ptr<SandboxServer> server;

    explicit Sandbox(TargetPlatform platform)
    {
        switch (platform) {
        case TargetPlatform::Mailchimp: {
            auto mc = std::make_unique<MailchimpSandbox>(kMailchimpKey);
            mc->seedEmpty();
            api = std::move(mc);
            break;
        }
        case TargetPlatform::Brevo: api = std::make_unique<BrevoSandbox>(kBrevoKey); break;
        case TargetPlatform::Klaviyo: api = std::make_unique<KlaviyoSandbox>(kKlaviyoKey); break;
        }
        server = std::make_unique<SandboxServer>(*api);
        server->listen();
    }
};

} // namespace

class tst_ConnectionController : public QObject
{
    Q_OBJECT

private:
    QTemporaryDir m_dir;
    SecretStore m_secrets;
    int m_projects = 0;

    std::unique_ptr<ProjectStore> newProject()
    {
        auto store = ProjectStore::create(m_dir.filePath(u"p%1.stagecoach"_s.arg(++m_projects)), u"Connections"_s);
        return store.ok() ? std::move(store.value()) : nullptr;
    }

    static std::unique_ptr<ConnectionController> controller(ProjectStore *store, SecretStore *secrets)
    {
        return std::make_unique<ConnectionController>(store, secrets, nullptr,
                                                      RetrySettings{.maxAttempts = 2, .baseDelayMs = 5, .maxDelayMs = 20});
    }

    static ConnectionStatus waitForAnswer(ConnectionController &c, TargetPlatform platform)
    {
        // Spins the event loop, which serves the sandbox on this thread.
        (void)QTest::qWaitFor([&] { return c.status(platform).outcome != Outcome::Testing; }, 15000);
        return c.status(platform);
    }

private Q_SLOTS:
    void initTestCase()
    {
        QVERIFY(m_dir.isValid());
        QStandardPaths::setTestModeEnabled(true);
    }

    void theDataCenterComesFromTheKey_data()
    {
        QTest::addColumn<QString>("key");
        QTest::addColumn<QString>("dataCenter");
        QTest::addColumn<QString>("text");
        QTest::newRow("us21") << kMailchimpKey << u"us21"_s << u"Data center: us21"_s;
        QTest::newRow("spaces") << u"  abc-us6 "_s << u"us6"_s << u"Data center: us6"_s;
        QTest::newRow("none") << u"0123456789abcdef"_s << QString() << u"The key should end in its data center, like -us21."_s;
        QTest::newRow("dash only") << u"abc-"_s << QString() << u"The key should end in its data center, like -us21."_s;
        QTest::newRow("empty") << QString() << QString() << QString();
    }

    void theDataCenterComesFromTheKey()
    {
        QFETCH(QString, key);
        QFETCH(QString, dataCenter);
        QFETCH(QString, text);
        QCOMPARE(ConnectionController::mailchimpDataCenter(key), dataCenter);
        QCOMPARE(ConnectionController::dataCenterText(key), text);
    }

    void theTargetDecidesWhichPanelsShow()
    {
        auto store = newProject();
        auto c = controller(store.get(), &m_secrets);
        QCOMPARE(c->platforms(), (QList<TargetPlatform>{TargetPlatform::Mailchimp, TargetPlatform::Brevo, TargetPlatform::Klaviyo}));
        QVERIFY(store->setValue(u"choice.platform"_s, u"klaviyo"_s).ok());
        QCOMPARE(c->platforms(), (QList<TargetPlatform>{TargetPlatform::Mailchimp, TargetPlatform::Klaviyo}));
    }

    void theApiAddressIsASetting()
    {
        auto store = newProject();
        auto c = controller(store.get(), &m_secrets);
        QSignalSpy failed(c.get(), &ConnectionController::failed);
        QVERIFY(c->setBaseUrl(TargetPlatform::Mailchimp, u" http://127.0.0.1:8080/3.0 "_s));
        QCOMPARE(store->value(u"connection.mailchimp.baseUrl"_s).toString(), u"http://127.0.0.1:8080/3.0"_s);
        QCOMPARE(c->baseUrl(TargetPlatform::Mailchimp), QUrl(u"http://127.0.0.1:8080/3.0"_s));
        QVERIFY(!c->setBaseUrl(TargetPlatform::Mailchimp, u"ftp://127.0.0.1/"_s));
        QVERIFY(!c->setBaseUrl(TargetPlatform::Mailchimp, u"127.0.0.1:8080"_s));
        QCOMPARE(failed.count(), 2);
        QVERIFY(failed.first().first().value<Error>().hint.contains(u"http://"_s));
        QCOMPARE(store->value(u"connection.mailchimp.baseUrl"_s).toString(), u"http://127.0.0.1:8080/3.0"_s);
        QVERIFY(c->setBaseUrl(TargetPlatform::Mailchimp, QString()));
        QVERIFY(c->baseUrl(TargetPlatform::Mailchimp).isEmpty());
        // A failed save changes nothing and says why.
        QVERIFY(c->setBaseUrl(TargetPlatform::Brevo, u"http://127.0.0.1:9/v3"_s));
        QVERIFY(QSqlQuery(store->database()).exec(u"PRAGMA query_only = ON"_s));
        QVERIFY(!c->setBaseUrl(TargetPlatform::Brevo, u"http://127.0.0.1:10/v3"_s));
        QCOMPARE(failed.count(), 3);
        QVERIFY(failed.last().first().value<Error>().message.contains(u"could not be saved"_s));
        QVERIFY(QSqlQuery(store->database()).exec(u"PRAGMA query_only = OFF"_s));
        QCOMPARE(c->baseUrl(TargetPlatform::Brevo), QUrl(u"http://127.0.0.1:9/v3"_s));
    }

    void aMailchimpKeyWithoutDataCenterIsNotSent()
    {
        auto store = newProject();
        auto c = controller(store.get(), &m_secrets);
        c->testConnection(TargetPlatform::Mailchimp, u"0123456789abcdef"_s);
        const ConnectionStatus s = waitForAnswer(*c, TargetPlatform::Mailchimp);
        QCOMPARE(s.outcome, Outcome::WrongDataCenter);
        QVERIFY2(s.text.contains(u"-us21"_s), qPrintable(s.text));
    }

    void testingReachesTheAccount_data()
    {
        QTest::addColumn<TargetPlatform>("platform");
        QTest::newRow("mailchimp") << TargetPlatform::Mailchimp;
        QTest::newRow("brevo") << TargetPlatform::Brevo;
        QTest::newRow("klaviyo") << TargetPlatform::Klaviyo;
    }

    void testingReachesTheAccount()
    {
        QFETCH(TargetPlatform, platform);
        Sandbox sandbox(platform);
        QVERIFY(sandbox.server->port() != 0);
        auto store = newProject();
        auto c = controller(store.get(), &m_secrets);
        QVERIFY(c->setBaseUrl(platform, apiRoot(platform, sandbox.server->baseUrl())));
        QSignalSpy changed(c.get(), &ConnectionController::statusChanged);

        // The right key: the account's name.
        c->testConnection(platform, rightKey(platform));
        QCOMPARE(c->status(platform).outcome, Outcome::Testing);
        ConnectionStatus s = waitForAnswer(*c, platform);
        QVERIFY2(s.outcome == Outcome::Connected, qPrintable(s.text + u' ' + s.hint));
        QVERIFY(!s.account.name.isEmpty());
        if (platform != TargetPlatform::Mailchimp)
            QCOMPARE(s.account.name, u"Stagecoach Sandbox"_s);
        QVERIFY2(s.text.startsWith(u"Connected to "_s + s.account.name), qPrintable(s.text));
        QCOMPARE(changed.count(), 2);
        QCOMPARE(changed.first().first().toString(), TargetPlatforms::key(platform));

        // A wrong key: the platform's 401, with what to do.
        QString wrong = rightKey(platform);
        wrong.replace(3, 4, u"zzzz"_s);
        c->testConnection(platform, wrong);
        s = waitForAnswer(*c, platform);
        QVERIFY2(s.outcome == Outcome::WrongKey, qPrintable(s.text));
        QCOMPARE(s.httpStatus, 401);
        QVERIFY2(s.text.startsWith(u"Wrong key (401): "_s), qPrintable(s.text));
        QVERIFY(!s.hint.isEmpty());

        // Rate limited on every attempt.
        sandbox.server->setFaults(SandboxFaults{.rate = 1.0, .seed = 1, .kinds = SandboxFaults::TooManyRequests,
                                                .retryAfterSeconds = 0});
        const int before = sandbox.server->requestCount();
        c->testConnection(platform, rightKey(platform));
        s = waitForAnswer(*c, platform);
        QVERIFY2(s.outcome == Outcome::RateLimited, qPrintable(s.text));
        QVERIFY2(s.text.startsWith(u"Rate limited (429): "_s), qPrintable(s.text));
        QCOMPARE(sandbox.server->requestCount() - before, 2); // maxAttempts
    }

    void aMailchimpKeyOfAnotherDataCenter()
    {
        Sandbox sandbox(TargetPlatform::Mailchimp);
        auto store = newProject();
        auto c = controller(store.get(), &m_secrets);
        QVERIFY(c->setBaseUrl(TargetPlatform::Mailchimp, apiRoot(TargetPlatform::Mailchimp, sandbox.server->baseUrl())));
        c->testConnection(TargetPlatform::Mailchimp, u"0123456789abcdef0123456789abcdef-us6"_s);
        const ConnectionStatus s = waitForAnswer(*c, TargetPlatform::Mailchimp);
        QVERIFY2(s.outcome == Outcome::WrongDataCenter, qPrintable(s.text));
        QVERIFY2(s.text.startsWith(u"Wrong data center: "_s), qPrintable(s.text));
    }

    void aClosedPortIsNoNetwork_data() { testingReachesTheAccount_data(); }

    void aClosedPortIsNoNetwork()
    {
        QFETCH(TargetPlatform, platform);
        quint16 port = 0;
        {
            QTcpServer probe;
            QVERIFY(probe.listen(QHostAddress::LocalHost, 0));
            port = probe.serverPort();
        } // closed again: nothing listens there
        auto store = newProject();
        auto c = controller(store.get(), &m_secrets);
        QVERIFY(c->setBaseUrl(platform, apiRoot(platform, QUrl(u"http://127.0.0.1:%1"_s.arg(port)))));
        c->testConnection(platform, rightKey(platform));
        const ConnectionStatus s = waitForAnswer(*c, platform);
        QVERIFY2(s.outcome == Outcome::NoNetwork, qPrintable(s.text));
        QVERIFY2(s.text.startsWith(u"No network: "_s), qPrintable(s.text));
        QCOMPARE(s.httpStatus, 0);
    }

    void theDemoUsesTheInAppSandbox()
    {
        auto store = newProject();
        QVERIFY(store->setValue(ConnectionController::sandboxSettingKey(), u"demo"_s).ok());
        // No keychain here: a store that was never asked for anything must stay so.
        auto c = controller(store.get(), &m_secrets);
        QVERIFY(c->usesDemoSandbox());
        const auto host = SandboxHost::demo();
        QVERIFY(host.ok());
        const auto mailchimp = host.value()->endpoint(TargetPlatform::Mailchimp);
        QVERIFY(mailchimp);
        QCOMPARE(c->baseUrl(TargetPlatform::Mailchimp), mailchimp->apiRoot);
        c->refreshKeys();
        QCOMPARE(c->keyState(TargetPlatform::Brevo), ConnectionController::KeyState::Stored);
        QVERIFY(c->keyStateText(TargetPlatform::Brevo).contains(u"nothing is stored"_s));

        std::optional<Result<ConnectionSettings>> settings;
        c->settings(TargetPlatform::Mailchimp, [&](Result<ConnectionSettings> r) { settings = std::move(r); }, this);
        QVERIFY(!settings); // answered later, never inside the call
        QTRY_VERIFY_WITH_TIMEOUT(settings.has_value(), 5000);
        QVERIFY(settings->ok());
        QCOMPARE(settings->value().apiKey, mailchimp->apiKey);

        c->testConnection(TargetPlatform::Mailchimp);
        QTRY_VERIFY_WITH_TIMEOUT(c->status(TargetPlatform::Mailchimp).outcome != Outcome::Testing, 15000);
        QCOMPARE(c->status(TargetPlatform::Mailchimp).outcome, Outcome::Connected);
        QVERIFY(c->status(TargetPlatform::Mailchimp).text.contains(u"Northwind Outdoor Co."_s));

        // The fields of the demo audience, read off this thread.
        std::optional<Result<QList<FieldDefinition>>> fields;
        c->readFields(TargetPlatform::Mailchimp, mailchimp->audienceId,
                      [&](Result<QList<FieldDefinition>> r) { fields = std::move(r); }, this);
        QTRY_VERIFY_WITH_TIMEOUT(fields.has_value(), 15000);
        QVERIFY2(fields->ok(), qPrintable(fields->ok() ? QString() : fields->error().toString()));
        QStringList keys;
        for (const FieldDefinition &f : fields->value())
            keys.append(f.key);
        QVERIFY2(keys.contains(u"FNAME"_s) && keys.contains(u"BIRTHDAY"_s), qPrintable(keys.join(u", "_s)));

        // An answer for a context that is gone is dropped.
        bool called = false;
        {
            QObject gone;
            c->readFields(TargetPlatform::Mailchimp, mailchimp->audienceId,
                          [&](Result<QList<FieldDefinition>>) { called = true; }, &gone);
        }
        QTest::qWait(300);
        QVERIFY(!called);
    }

    void keysStayInTheKeychain()
    {
        if (qEnvironmentVariable("STAGECOACH_KEYRING_TESTS") != u"1"_s)
            QSKIP(qPrintable(kKeyringSkip));
        auto store = newProject();
        const QString path = store->path();
        const QString secret = u"0123456789abcdef0123456789abcdef-us21"_s;
        {
            auto c = controller(store.get(), &m_secrets);
            QSignalSpy failed(c.get(), &ConnectionController::failed);
            c->saveKey(TargetPlatform::Mailchimp, secret);
            QTRY_COMPARE_WITH_TIMEOUT(c->keyState(TargetPlatform::Mailchimp), ConnectionController::KeyState::Stored, 30000);
            QCOMPARE(failed.count(), 0);
        }
        // A new controller on the same project finds it without keeping it.
        auto c = controller(store.get(), &m_secrets);
        c->refreshKeys();
        QTRY_COMPARE_WITH_TIMEOUT(c->keyState(TargetPlatform::Mailchimp), ConnectionController::KeyState::Stored, 30000);
        QTRY_COMPARE_WITH_TIMEOUT(c->keyState(TargetPlatform::Brevo), ConnectionController::KeyState::NotStored, 30000);
        QString revealed;
        c->revealKey(TargetPlatform::Mailchimp, [&](const QString &key) { revealed = key; }, this);
        QTRY_COMPARE_WITH_TIMEOUT(revealed, secret, 30000);

        // Testing with the stored key (nothing typed).
        {
            Sandbox sandbox(TargetPlatform::Mailchimp);
            QVERIFY(c->setBaseUrl(TargetPlatform::Mailchimp, apiRoot(TargetPlatform::Mailchimp, sandbox.server->baseUrl())));
            c->testConnection(TargetPlatform::Mailchimp);
            QTRY_VERIFY_WITH_TIMEOUT(c->status(TargetPlatform::Mailchimp).outcome != Outcome::Testing, 30000);
            QCOMPARE(c->status(TargetPlatform::Mailchimp).outcome, Outcome::Connected);

            // The settings a connector gets: the stored key and the address.
            std::optional<Result<ConnectionSettings>> settings;
            c->settings(TargetPlatform::Mailchimp, [&](Result<ConnectionSettings> r) { settings = std::move(r); }, this);
            QTRY_VERIFY_WITH_TIMEOUT(settings.has_value(), 30000);
            QVERIFY(settings->ok());
            QCOMPARE(settings->value().apiKey, secret);
            QCOMPARE(settings->value().baseUrl.toString(), apiRoot(TargetPlatform::Mailchimp, sandbox.server->baseUrl()));
            // Brevo has no key stored: an Error that says where to save one.
            std::optional<Result<ConnectionSettings>> none;
            c->settings(TargetPlatform::Brevo, [&](Result<ConnectionSettings> r) { none = std::move(r); }, this);
            QTRY_VERIFY_WITH_TIMEOUT(none.has_value(), 30000);
            QVERIFY(!none->ok());
            QVERIFY2(none->error().hint.contains(u"Connections"_s), qPrintable(none->error().hint));
        }

        // Nowhere in the project: not in its settings, not in the file's bytes.
        QSqlQuery q(store->database());
        QVERIFY(q.exec(u"SELECT key, value FROM settings"_s));
        int settings = 0;
        while (q.next()) {
            ++settings;
            QVERIFY2(!q.value(1).toString().contains(u"0123456789abcdef"_s), qPrintable(q.value(0).toString()));
        }
        QVERIFY(settings >= 3); // name, createdAt, project.id
        q.finish();
        QVERIFY(QSqlQuery(store->database()).exec(u"PRAGMA wal_checkpoint(TRUNCATE)"_s));
        for (const QString &file : {path, path + u"-wal"_s}) {
            QFile f(file);
            if (!f.open(QIODevice::ReadOnly))
                continue;
            const QByteArray bytes = f.readAll();
            QVERIFY2(!bytes.contains(secret.toUtf8()), qPrintable(file));
            const QByteArray utf16(reinterpret_cast<const char *>(secret.utf16()), secret.size() * 2);
            QVERIFY2(!bytes.contains(utf16), qPrintable(file));
        }

        c->forgetKey(TargetPlatform::Mailchimp);
        QTRY_COMPARE_WITH_TIMEOUT(c->keyState(TargetPlatform::Mailchimp), ConnectionController::KeyState::NotStored, 30000);
        c->testConnection(TargetPlatform::Mailchimp);
        QTRY_COMPARE_WITH_TIMEOUT(c->status(TargetPlatform::Mailchimp).outcome, Outcome::NoKey, 30000);
    }
};

QTEST_GUILESS_MAIN(tst_ConnectionController)
#include "tst_connectioncontroller.moc"
