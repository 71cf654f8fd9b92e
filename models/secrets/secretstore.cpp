#include "secrets/secretstore.h"

#include <QDBusConnection>
#include <QDBusMessage>
#include <QDBusMetaType>
#include <QDBusObjectPath>
#include <QDBusPendingCallWatcher>
#include <QDBusPendingReply>
#include <QLoggingCategory>
#include <QMetaObject>
#include <QPointer>

#include <qt6keychain/keychain.h>

Q_LOGGING_CATEGORY(lcSecrets, "stagecoach.secrets", QtWarningMsg)

namespace {

QString service()
{
    return QString::fromLatin1(SecretStore::kService);
}

// Jobs are never owned by the store: QtKeychain's libsecret backend keeps a raw pointer to a
// running job until libsecret answers, so a job is only deleted after it finished (autoDelete).
template<typename JobType>
JobType *newJob(const SecretKey &key)
{
    auto *job = new JobType(service());
    job->setAutoDelete(true);
    job->setInsecureFallback(false); // never a plain-text QSettings file
    job->setKey(key.account());
    return job;
}

// QtKeychain reports most of what can go wrong on Linux as OtherError with libsecret's or
// GDBus's message; these tell the cases a user can act on apart.
bool mentions(const QString &detail, std::initializer_list<const char *> needles)
{
    for (const char *needle : needles) {
        if (detail.contains(QLatin1String(needle), Qt::CaseInsensitive))
            return true;
    }
    return false;
}

} // namespace

SecretStore::SecretStore(QObject *parent)
    : QObject(parent)
{}

SecretStore::~SecretStore() = default;

// `done`, unless the store or the caller's context is gone by the time of the answer.
template<typename Answer>
std::function<void(Answer)> SecretStore::guarded(const QObject *context,
                                                 std::function<void(Answer)> done)
{
    QPointer<const SecretStore> self(this);
    QPointer<const QObject> guard(context);
    const bool hasContext = context != nullptr;
    return [self, guard, hasContext, done = std::move(done)](Answer answer) {
        if (self && (!hasContext || guard))
            done(std::move(answer));
    };
}

template<typename Answer>
void SecretStore::answerLater(std::function<void(Answer)> done, Answer answer)
{
    QMetaObject::invokeMethod(
        this,
        [done = std::move(done), answer = std::move(answer)]() mutable { done(std::move(answer)); },
        Qt::QueuedConnection);
}

void SecretStore::read(const SecretKey &key, ReadFn done, const QObject *context)
{
    ReadFn answer = guarded(context, std::move(done));
    if (!key.isValid()) {
        answerLater(std::move(answer), ReadResult(invalidKey(key)));
        return;
    }
    qCDebug(lcSecrets) << "reading" << key.account();
    auto *job = newJob<QKeychain::ReadPasswordJob>(key);
    connect(job, &QKeychain::Job::finished, this, [this, job, key, answer] {
        switch (job->error()) {
        case QKeychain::NoError:
            answer(ReadResult(std::optional<QString>(job->textData())));
            return;
        case QKeychain::EntryNotFound:
            // Also what libsecret answers for a key in a locked keyring whose unlock prompt was
            // dismissed or could not be shown.
            checkLocked(key, [this, key, answer](bool locked) {
                if (locked)
                    answer(ReadResult(lockedError(key)));
                else
                    answer(ReadResult(std::optional<QString>()));
            });
            return;
        default:
            answer(
                ReadResult(keychainError(Operation::Read, key, job->error(), job->errorString())));
        }
    });
    job->start();
}

void SecretStore::write(const SecretKey &key, const QString &secret, StatusFn done,
                        const QObject *context)
{
    StatusFn answer = guarded(context, std::move(done));
    if (!key.isValid()) {
        answerLater(std::move(answer), Status(invalidKey(key)));
        return;
    }
    if (secret.isEmpty()) {
        answerLater(std::move(answer),
                    Status(Error{tr("An empty API key cannot be stored."), whereOf(key),
                                 tr("Enter the key from the platform's account settings.")}));
        return;
    }
    qCDebug(lcSecrets) << "writing" << key.account(); // the entry's name only, never its value
    auto *job = newJob<QKeychain::WritePasswordJob>(key);
    job->setTextData(secret);
    connect(job, &QKeychain::Job::finished, this, [this, job, key, answer] {
        if (job->error() == QKeychain::NoError)
            answer(Status::success());
        else
            answer(Status(keychainError(Operation::Write, key, job->error(), job->errorString())));
    });
    job->start();
}

void SecretStore::remove(const SecretKey &key, StatusFn done, const QObject *context)
{
    StatusFn answer = guarded(context, std::move(done));
    if (!key.isValid()) {
        answerLater(std::move(answer), Status(invalidKey(key)));
        return;
    }
    qCDebug(lcSecrets) << "removing" << key.account();
    auto *job = newJob<QKeychain::DeletePasswordJob>(key);
    connect(job, &QKeychain::Job::finished, this, [this, job, key, answer] {
        const QKeychain::Error code = job->error();
        if (code != QKeychain::NoError && code != QKeychain::EntryNotFound) {
            answer(Status(keychainError(Operation::Remove, key, code, job->errorString())));
            return;
        }
        // libsecret skips items in a locked keyring and reports success: the key would stay.
        checkLocked(key, [this, key, answer](bool locked) {
            answer(locked ? Status(lockedError(key)) : Status::success());
        });
    });
    job->start();
}

// Asks the Secret Service whether an entry for key is kept in a locked collection. The attributes
// are the ones QtKeychain's libsecret backend stores ("user" = entry name, "server" = service).
// Where that cannot be asked (another backend, no bus), the answer is "not locked". Only called
// after QtKeychain reached the Secret Service, so the session bus is there.
void SecretStore::checkLocked(const SecretKey &key, std::function<void(bool locked)> next)
{
    QDBusConnection bus = QDBusConnection::sessionBus();
    if (!bus.isConnected()) {
        next(false);
        return;
    }
    QDBusMessage search = QDBusMessage::createMethodCall(
        QStringLiteral("org.freedesktop.secrets"), QStringLiteral("/org/freedesktop/secrets"),
        QStringLiteral("org.freedesktop.Secret.Service"), QStringLiteral("SearchItems"));
    const QMap<QString, QString> attributes{{QStringLiteral("user"), key.account()},
                                            {QStringLiteral("server"), service()}};
    static const bool registered = [] {
        qDBusRegisterMetaType<QMap<QString, QString>>();
        qDBusRegisterMetaType<QList<QDBusObjectPath>>();
        return true;
    }();
    Q_UNUSED(registered)
    search << QVariant::fromValue(attributes);
    auto *watcher = new QDBusPendingCallWatcher(bus.asyncCall(search), this);
    connect(watcher, &QDBusPendingCallWatcher::finished, this, [watcher, next = std::move(next)] {
        watcher->deleteLater();
        const QDBusPendingReply<QList<QDBusObjectPath>, QList<QDBusObjectPath>> reply = *watcher;
        next(!reply.isError() && !reply.argumentAt<1>().isEmpty());
    });
}

QString SecretStore::whereOf(const SecretKey &key) const
{
    return tr("API key for %1").arg(key.platform);
}

Error SecretStore::lockedError(const SecretKey &key) const
{
    return Error{
        tr("The system keychain is locked, so the API key cannot be used."), whereOf(key),
        tr("Unlock your login keyring (for example in Passwords and Keys, or by logging in "
           "again), then try again.")};
}

Error SecretStore::invalidKey(const SecretKey &key) const
{
    return Error{
        tr("The keychain entry \"%1\" is not a valid name for an API key.").arg(key.account()),
        {},
        tr("This is a bug in Stagecoach; please report it.")};
}

Error SecretStore::keychainError(Operation operation, const SecretKey &key, int code,
                                 const QString &detail) const
{
    // The backend's message names no secret; it is what a bug report needs.
    qCWarning(lcSecrets) << "keychain error" << code << detail << "for" << key.account();

    const QString where = whereOf(key);
    if (code == QKeychain::NoBackendAvailable || code == QKeychain::NotImplemented
        || mentions(detail, {"org.freedesktop.secrets", "ServiceUnknown", "No keyring daemon"})) {
        return Error{
            tr("No Secret Service is available to keep the API key."), where,
            tr("Stagecoach keeps API keys only in the system keychain. Install one (on Debian: "
               "apt install gnome-keyring libsecret-1-0; on KDE, KWallet) and log in again so "
               "that it starts.")};
    }
    if (mentions(detail, {"D-Bus", "DBus", "Could not connect", "autolaunch", "NoServer"})) {
        return Error{
            tr("The system keychain cannot be reached because there is no D-Bus session (%1).")
                .arg(detail),
            where,
            tr("Start Stagecoach from your desktop session. Without a desktop, run it under "
               "dbus-run-session with gnome-keyring-daemon started and unlocked (Debian "
               "packages dbus, gnome-keyring and libsecret-1-0).")};
    }
    if (code == QKeychain::AccessDeniedByUser) {
        return Error{tr("Access to the system keychain was refused."), where,
                     tr("Allow Stagecoach when the keychain asks, then try again.")};
    }
    if (code == QKeychain::AccessDenied || mentions(detail, {"locked"}))
        return lockedError(key);
    if (mentions(detail, {"/org/freedesktop/secrets/collection", "No such keyring"})) {
        return Error{tr("The system keychain has no default keyring to keep the API key in."),
                     where,
                     tr("Create or unlock a login keyring (for example in Passwords and Keys), "
                        "then try again.")};
    }
    switch (operation) {
    case Operation::Read:
        return Error{tr("The API key could not be read from the system keychain: %1").arg(detail),
                     where, tr("Check that the keychain is running and unlocked, then try again.")};
    case Operation::Write:
        return Error{tr("The API key could not be saved in the system keychain: %1").arg(detail),
                     where, tr("Check that the keychain is running and unlocked, then try again.")};
    case Operation::Remove:
        break;
    }
    return Error{tr("The API key could not be removed from the system keychain: %1").arg(detail),
                 where, tr("Check that the keychain is running and unlocked, then try again.")};
}
