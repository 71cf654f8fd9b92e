#include "secrets/secretkey.h"
#include "secrets/secretstore.h"
#include "store/projectstore.h"

#include <QDBusConnection>
#include <QDBusMessage>
#include <QDBusObjectPath>
#include <QDir>
#include <QEventLoop>
#include <QFile>
#include <QLoggingCategory>
#include <QMutex>
#include <QProcess>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <QTest>
#include <QTimer>
#include <QUuid>

#include <cstdio>

using namespace Qt::StringLiterals;

namespace {

constexpr int kAnswerTimeoutMs = 30'000;

const QString kSkipMessage
    = u"needs a throw-away Secret Service: run packaging/setup.sh test (it starts gnome-keyring in "
      u"a "
      "private D-Bus session and sets STAGECOACH_KEYRING_TESTS=1). Setting "
      "STAGECOACH_KEYRING_TESTS=1 "
      "yourself runs them against the keyring of the current D-Bus session."_s;

// Everything logged in this process, to check that no secret ever reaches a log.
QMutex g_logMutex;
QStringList g_log;
QtMessageHandler g_previousHandler = nullptr;

void captureMessage(QtMsgType type, const QMessageLogContext &context, const QString &message)
{
    {
        QMutexLocker lock(&g_logMutex);
        g_log.append(message);
    }
    if (g_previousHandler)
        g_previousHandler(type, context, message);
}

SecretKey newKey(const QString &platform)
{
    return SecretKey{QUuid::createUuid().toString(QUuid::WithoutBraces), platform};
}

// Waits for an asynchronous answer (tests only; the app never waits like this).
template<typename T, typename Start>
std::optional<T> waitFor(Start start)
{
    std::optional<T> answer;
    QEventLoop loop;
    QTimer::singleShot(kAnswerTimeoutMs, &loop, &QEventLoop::quit);
    start([&](T value) {
        answer.emplace(std::move(value));
        loop.quit();
    });
    if (!answer)
        loop.exec();
    return answer;
}

QString describe(const Status &status)
{
    return status.ok() ? u"ok"_s : status.error().toString();
}

QString describe(const SecretStore::ReadResult &result)
{
    if (!result.ok())
        return result.error().toString();
    return result.value() ? u"found"_s : u"not found"_s;
}

// --- The child process: one write, read and remove with whatever D-Bus the parent gave it. ---

void lockDefaultCollection()
{
    QDBusMessage call = QDBusMessage::createMethodCall(
        u"org.freedesktop.secrets"_s, u"/org/freedesktop/secrets"_s,
        u"org.freedesktop.Secret.Service"_s, u"Lock"_s);
    call << QVariant::fromValue(
        QList<QDBusObjectPath>{QDBusObjectPath(u"/org/freedesktop/secrets/aliases/default"_s)});
    const QDBusMessage reply = QDBusConnection::sessionBus().call(call);
    std::printf("lock: %s\n", reply.type() == QDBusMessage::ErrorMessage
                                  ? qPrintable(reply.errorMessage())
                                  : "ok");
}

int runProbe()
{
    SecretStore store;
    const SecretKey key = newKey(u"mailchimp"_s);
    const QString secret = qEnvironmentVariable("STAGECOACH_PROBE_SECRET");
    if (qEnvironmentVariableIsSet("STAGECOACH_PROBE_LOCK")) {
        // Stored while unlocked, then locked: the key is there but cannot be used.
        const auto stored = waitFor<Status>([&](auto done) { store.write(key, secret, done); });
        std::printf("before lock: %s\n", stored ? qPrintable(describe(*stored)) : "no answer");
        lockDefaultCollection();
    }
    const auto written = waitFor<Status>([&](auto done) { store.write(key, secret, done); });
    std::printf("write: %s\n", written ? qPrintable(describe(*written)) : "no answer");
    const auto read = waitFor<SecretStore::ReadResult>([&](auto done) { store.read(key, done); });
    std::printf("read: %s\n", read ? qPrintable(describe(*read)) : "no answer");
    const auto removed = waitFor<Status>([&](auto done) { store.remove(key, done); });
    std::printf("remove: %s\n", removed ? qPrintable(describe(*removed)) : "no answer");
    std::fflush(stdout);
    return 0;
}

} // namespace

// Skips a test that needs the keychain unless packaging/setup.sh test asked for it.
#define REQUIRE_KEYRING()                                                                          \
    do {                                                                                           \
        if (!m_keyringProblem.isEmpty())                                                           \
            QFAIL(qPrintable(m_keyringProblem));                                                   \
        if (!m_keyring)                                                                            \
            QSKIP(qPrintable(kSkipMessage));                                                       \
    } while (false)

class tst_SecretStore : public QObject
{
    Q_OBJECT

private:
    QTemporaryDir m_dir;
    SecretStore m_store;
    QStringList m_secretsUsed;
    bool m_keyring = false;
    QString m_keyringProblem;

    std::optional<Status> write(const SecretKey &key, const QString &secret)
    {
        if (!secret.isEmpty())
            m_secretsUsed.append(secret);
        return waitFor<Status>([&](auto done) { m_store.write(key, secret, done); });
    }
    std::optional<SecretStore::ReadResult> read(const SecretKey &key)
    {
        return waitFor<SecretStore::ReadResult>([&](auto done) { m_store.read(key, done); });
    }
    std::optional<Status> remove(const SecretKey &key)
    {
        return waitFor<Status>([&](auto done) { m_store.remove(key, done); });
    }

    // Reads back `expected` (nullopt: nothing stored) for key.
    void verifyStored(const SecretKey &key, const std::optional<QString> &expected)
    {
        const auto answer = read(key);
        QVERIFY2(answer, "the keychain did not answer");
        QVERIFY2(answer->ok(), qPrintable(describe(*answer)));
        QCOMPARE(answer->value(), expected);
    }

    void verifyWrite(const SecretKey &key, const QString &secret)
    {
        const auto answer = write(key, secret);
        QVERIFY2(answer, "the keychain did not answer");
        QVERIFY2(answer->ok(), qPrintable(describe(*answer)));
    }

    void verifyRemove(const SecretKey &key)
    {
        const auto answer = remove(key);
        QVERIFY2(answer, "the keychain did not answer");
        QVERIFY2(answer->ok(), qPrintable(describe(*answer)));
    }

private Q_SLOTS:
    void initTestCase()
    {
        QVERIFY(m_dir.isValid());
        QStandardPaths::setTestModeEnabled(true);
        // Our own debug output too, so the check at the end covers it.
        QLoggingCategory::setFilterRules(u"stagecoach.secrets.debug=true"_s);
        g_previousHandler = qInstallMessageHandler(captureMessage);

        if (qEnvironmentVariable("STAGECOACH_KEYRING_TESTS") == u"1"_s) {
            // Asked for by packaging/setup.sh test: from here on a keyring problem is a failure.
            if (qEnvironmentVariable("DBUS_SESSION_BUS_ADDRESS").isEmpty())
                m_keyringProblem
                    = u"STAGECOACH_KEYRING_TESTS=1 but DBUS_SESSION_BUS_ADDRESS is not set: "
                      "run the tests under dbus-run-session with gnome-keyring unlocked "
                      "(packaging/setup.sh test)."_s;
            m_keyring = true;
        } else {
            qInfo("keychain tests will be skipped: %s", qPrintable(kSkipMessage));
        }
    }

    void cleanupTestCase()
    {
        qInstallMessageHandler(g_previousHandler);
        QMutexLocker lock(&g_logMutex);
        for (const QString &secret : std::as_const(m_secretsUsed)) {
            for (const QString &line : std::as_const(g_log))
                QVERIFY2(!line.contains(secret), qPrintable(u"a secret was logged: "_s + line));
        }
    }

    void projectIdIsCreatedOnceAndKept()
    {
        const QString file = m_dir.filePath(u"id.stagecoach"_s);
        QString first;
        {
            auto store = ProjectStore::create(file, u"Ids"_s);
            QVERIFY(store.ok());
            const auto id = SecretKey::projectIdOf(*store.value());
            QVERIFY2(id.ok(), qPrintable(id.ok() ? QString() : id.error().toString()));
            first = id.value();
            QVERIFY(!QUuid::fromString(first).isNull());
            QCOMPARE(SecretKey::projectIdOf(*store.value()).value(), first);

            const auto key = SecretKey::forProject(*store.value(), u"brevo"_s);
            QVERIFY(key.ok());
            QCOMPARE(key->projectId, first);
            QCOMPARE(key->account(), first + u"/brevo"_s);
            QVERIFY(key->isValid());
        }
        auto reopened = ProjectStore::open(file);
        QVERIFY(reopened.ok());
        QCOMPARE(SecretKey::projectIdOf(*reopened.value()).value(), first);

        // Another project gets another id.
        auto other = ProjectStore::create(m_dir.filePath(u"other.stagecoach"_s), u"Other"_s);
        QVERIFY(other.ok());
        QVERIFY(SecretKey::projectIdOf(*other.value()).value() != first);
    }

    void badKeysAreRefusedWithoutTheKeychain_data()
    {
        QTest::addColumn<QString>("projectId");
        QTest::addColumn<QString>("platform");
        const QString uuid = QUuid::createUuid().toString(QUuid::WithoutBraces);
        QTest::newRow("empty project") << QString() << u"mailchimp"_s;
        QTest::newRow("braced uuid") << u'{' + uuid + u'}' << u"mailchimp"_s;
        QTest::newRow("empty platform") << uuid << QString();
        QTest::newRow("slash in platform") << uuid << u"mail/chimp"_s;
        QTest::newRow("upper case") << uuid << u"Mailchimp"_s;
    }

    void badKeysAreRefusedWithoutTheKeychain()
    {
        QFETCH(QString, projectId);
        QFETCH(QString, platform);
        const SecretKey key{projectId, platform};
        QVERIFY(!key.isValid());
        // The answer still comes later, like every other.
        bool answered = false;
        m_store.read(key, [&](SecretStore::ReadResult) { answered = true; });
        QVERIFY(!answered);
        const auto answer = read(key);
        QVERIFY(answer);
        QVERIFY(!answer->ok());
        QVERIFY2(answer->error().message.contains(u"not a valid name"_s),
                 qPrintable(answer->error().toString()));
        QVERIFY(answered);
    }

    void emptySecretIsRefused()
    {
        const auto answer = write(newKey(u"klaviyo"_s), QString());
        QVERIFY(answer);
        QVERIFY(!answer->ok());
        QVERIFY2(answer->error().message.contains(u"empty"_s),
                 qPrintable(answer->error().toString()));
    }

    void noAnswerOnceTheContextIsGone()
    {
        bool answered = false;
        auto *context = new QObject;
        m_store.read(
            SecretKey{}, [&](SecretStore::ReadResult) { answered = true; }, context);
        delete context;
        // A later call on the same queue is answered; the first one never is.
        QVERIFY(read(SecretKey{}));
        QVERIFY(!answered);
    }

    void writeReadOverwriteRemove()
    {
        REQUIRE_KEYRING();
        const SecretKey key = newKey(u"mailchimp"_s);
        verifyStored(key, std::nullopt);
        verifyWrite(key, u"0123456789abcdef0123456789abcdef-us21"_s);
        verifyStored(key, u"0123456789abcdef0123456789abcdef-us21"_s);
        verifyWrite(key, u"fedcba9876543210fedcba9876543210-us6"_s);
        verifyStored(key, u"fedcba9876543210fedcba9876543210-us6"_s);
        verifyRemove(key);
        verifyStored(key, std::nullopt);
        // Removing again is not an error.
        verifyRemove(key);
    }

    void projectsAndPlatformsDoNotCollide()
    {
        REQUIRE_KEYRING();
        const QString projectA = QUuid::createUuid().toString(QUuid::WithoutBraces);
        const QString projectB = QUuid::createUuid().toString(QUuid::WithoutBraces);
        const QList<SecretKey> keys = {{projectA, u"mailchimp"_s},
                                       {projectA, u"brevo"_s},
                                       {projectB, u"mailchimp"_s},
                                       {projectB, u"brevo"_s}};
        auto secretFor = [](const SecretKey &key) {
            return u"key-for-"_s + key.account();
        };
        for (const SecretKey &key : keys)
            verifyWrite(key, secretFor(key));
        for (const SecretKey &key : keys)
            verifyStored(key, secretFor(key));

        // Removing one leaves the other three.
        verifyRemove(keys.at(0));
        verifyStored(keys.at(0), std::nullopt);
        for (qsizetype i = 1; i < keys.size(); ++i)
            verifyStored(keys.at(i), secretFor(keys.at(i)));
        for (const SecretKey &key : keys)
            verifyRemove(key);
    }

    void unicodeSecretRoundTrips()
    {
        REQUIRE_KEYRING();
        const SecretKey key = newKey(u"klaviyo"_s);
        const QString secret
            = u" pk_\u00e9t\u00e9-\u20ac-\u65e5\u672c-\U0001F511 "_s; // spaces kept as typed
        verifyWrite(key, secret);
        verifyStored(key, secret);
        verifyRemove(key);
    }

    void secretIsNeverInTheProjectFile()
    {
        REQUIRE_KEYRING();
        const QString file = m_dir.filePath(u"secret.stagecoach"_s);
        auto store = ProjectStore::create(file, u"Secret"_s);
        QVERIFY(store.ok());
        const auto key = SecretKey::forProject(*store.value(), u"mailchimp"_s);
        QVERIFY(key.ok());
        const QString secret
            = u"f00dfeedcafe"_s + QUuid::createUuid().toString(QUuid::Id128) + u"-us21"_s;
        verifyWrite(key.value(), secret);
        verifyStored(key.value(), secret);

        // Everything on disk for this project while it is open: the file and its write-ahead log.
        QByteArray raw;
        for (const QString &part : {file, file + u"-wal"_s}) {
            QFile f(part);
            if (f.open(QIODevice::ReadOnly))
                raw += f.readAll();
        }
        // The reading sees what the project keeps: its id is there.
        QVERIFY(raw.contains(key->projectId.toUtf8()));
        QVERIFY(!raw.contains(secret.toUtf8()));
        QVERIFY(!raw.contains(
            QByteArray(reinterpret_cast<const char *>(secret.utf16()), secret.size() * 2)));
        QVERIFY(!raw.contains(secret.mid(12, 16).toUtf8()));
        // And no plain-text fallback file was written.
        QVERIFY(!QFile::exists(QDir::home().filePath(u".config/Stagecoach.conf"_s)));
        verifyRemove(key.value());
    }

    void withoutSecretService_data()
    {
        QTest::addColumn<QString>("setup");
        QTest::addColumn<QString>("expected"); // in the write error
        QTest::addColumn<bool>("allFail");     // read and remove fail the same way
        QTest::newRow("missing bus socket") << u"missing-socket"_s << u"no D-Bus session"_s << true;
        QTest::newRow("no session bus") << u"no-bus"_s << u"no D-Bus session"_s << true;
        QTest::newRow("bus without Secret Service")
            << u"bare-bus"_s << u"No Secret Service"_s << true;
        QTest::newRow("keyring never set up")
            << u"no-login-keyring"_s << u"no default keyring"_s << false;
        // A key stored before the keyring was locked: not "not found", and not quietly "removed".
        QTest::newRow("locked keyring") << u"locked"_s << u"locked"_s << true;
    }

    // Runs this binary again as a probe in an environment without a usable keychain: the answers
    // are clear errors that say what to install or do, they come (no hang), and name no secret.
    void withoutSecretService()
    {
        QFETCH(QString, setup);
        QFETCH(QString, expected);
        QFETCH(bool, allFail);

        QTemporaryDir home;
        QVERIFY(home.isValid());
        const QString runtime = home.filePath(u"runtime"_s);
        QVERIFY(QDir().mkpath(runtime));
        const QString secret = u"never-logged-"_s + QUuid::createUuid().toString(QUuid::Id128);

        QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
        for (const QString &name :
             {u"DBUS_SESSION_BUS_ADDRESS"_s, u"DISPLAY"_s, u"WAYLAND_DISPLAY"_s})
            env.remove(name); // no display: gnome-keyring's unlock prompt fails instead of waiting
        env.insert(u"HOME"_s, home.path());
        env.insert(u"XDG_RUNTIME_DIR"_s, runtime);
        env.insert(u"STAGECOACH_SECRETS_PROBE"_s, u"1"_s);
        env.insert(u"STAGECOACH_PROBE_SECRET"_s, secret);
        env.insert(u"QT_LOGGING_RULES"_s, u"stagecoach.secrets.debug=true"_s);

        const QString self = QCoreApplication::applicationFilePath();
        QString program = self;
        QStringList arguments;
        const QString dbusRunSession = QStandardPaths::findExecutable(u"dbus-run-session"_s);
        const QString keyringDaemon = QStandardPaths::findExecutable(u"gnome-keyring-daemon"_s);
        if (setup == u"missing-socket"_s) {
            env.insert(u"DBUS_SESSION_BUS_ADDRESS"_s,
                       u"unix:path="_s + home.filePath(u"no-such-bus"_s));
        } else if (setup == u"no-bus"_s) {
            // Nothing to connect to, not even $XDG_RUNTIME_DIR/bus.
        } else {
            if (dbusRunSession.isEmpty())
                QSKIP("needs dbus-run-session (Debian package dbus)");
            program = dbusRunSession;
            if (setup == u"bare-bus"_s) {
                // A session bus that can start no services at all.
                const QString config = home.filePath(u"bus.conf"_s);
                QFile f(config);
                QVERIFY(f.open(QIODevice::WriteOnly));
                f.write(
                    "<!DOCTYPE busconfig PUBLIC \"-//freedesktop//DTD D-Bus Bus Configuration "
                    "1.0//EN\" "
                    "\"http://www.freedesktop.org/standards/dbus/1.0/busconfig.dtd\">\n"
                    "<busconfig><type>session</type><listen>unix:tmpdir=/tmp</listen>"
                    "<policy context=\"default\"><allow send_destination=\"*\" eavesdrop=\"true\"/>"
                    "<allow eavesdrop=\"true\"/><allow own=\"*\"/>"
                    "</policy></busconfig>\n");
                f.close();
                arguments = {u"--config-file="_s + config, u"--"_s, self};
            } else {
                if (keyringDaemon.isEmpty())
                    QSKIP("needs gnome-keyring-daemon (Debian package gnome-keyring)");
                if (setup == u"no-login-keyring"_s) {
                    // gnome-keyring is started by D-Bus activation, but nobody unlocked (created) a
                    // login keyring.
                    arguments = {u"--"_s, self};
                } else {
                    env.insert(u"STAGECOACH_PROBE_LOCK"_s, u"1"_s);
                    arguments = {
                        u"--"_s,
                        u"sh"_s,
                        u"-c"_s,
                        u"echo probe | \"$1\" --unlock --components=secrets >/dev/null && exec \"$2\""_s,
                        u"sh"_s,
                        keyringDaemon,
                        self};
                }
            }
        }

        QProcess probe;
        probe.setProcessEnvironment(env);
        probe.start(program, arguments);
        QVERIFY2(probe.waitForStarted(), qPrintable(probe.errorString()));
        if (!probe.waitForFinished(kAnswerTimeoutMs)) {
            probe.kill();
            probe.waitForFinished();
            QFAIL("the keychain calls did not answer: they hang without a Secret Service");
        }
        const QString out = QString::fromUtf8(probe.readAllStandardOutput());
        const QString err = QString::fromUtf8(probe.readAllStandardError());
        QVERIFY2(probe.exitStatus() == QProcess::NormalExit && probe.exitCode() == 0,
                 qPrintable(out + err));
        QVERIFY2(!out.contains(secret) && !err.contains(secret), "the probe logged its secret");

        QStringList lines = out.split(u'\n', Qt::SkipEmptyParts);
        if (setup == u"locked"_s) {
            QVERIFY2(lines.size() > 2 && lines.takeFirst() == u"before lock: ok"_s,
                     qPrintable(out + err));
            QVERIFY2(lines.takeFirst() == u"lock: ok"_s, qPrintable(out + err));
        }
        QCOMPARE(lines.size(), 3);
        QVERIFY2(lines.at(0).startsWith(u"write: "_s) && lines.at(0).contains(expected),
                 qPrintable(out));
        if (expected != u"locked"_s && expected != u"no default keyring"_s)
            QVERIFY2(lines.at(0).contains(u"gnome-keyring"_s),
                     qPrintable(out)); // says what to install
        if (allFail) {
            QVERIFY2(lines.at(1).startsWith(u"read: "_s) && lines.at(1).contains(expected),
                     qPrintable(out));
            QVERIFY2(lines.at(2).startsWith(u"remove: "_s) && lines.at(2).contains(expected),
                     qPrintable(out));
        } else {
            // Nothing was stored, and nothing may seem to be.
            QVERIFY2(lines.at(1) != u"read: found"_s, qPrintable(out));
        }
    }
};

// A main of our own: the same binary is also the probe that withoutSecretService() starts.
int main(int argc, char **argv)
{
    QCoreApplication app(argc, argv);
    if (qEnvironmentVariableIsSet("STAGECOACH_SECRETS_PROBE"))
        return runProbe();
    tst_SecretStore test;
    QTEST_SET_MAIN_SOURCE_PATH
    return QTest::qExec(&test, argc, argv);
}

#include "tst_secretstore.moc"
