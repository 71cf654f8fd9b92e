#pragma once

#include "core/result.h"
#include "secrets/secretkey.h"

#include <QObject>
#include <QString>

#include <functional>
#include <optional>

/**
 * API keys in the system keychain (the Secret Service: GNOME Keyring, KWallet …), through
 * QtKeychain. Never in the project file, the settings or a log; there is no plain-file fallback.
 *
 * Every call returns at once and calls `done` later on this object's thread, also for an
 * immediate error. `done` is not called once this store or `context` (when given) is destroyed.
 * The keychain may ask the user to unlock it, so an answer can take as long as the user does;
 * calls run one after another in the order made.
 */
class SecretStore : public QObject
{
    Q_OBJECT

public:
    /// The key, std::nullopt when none is stored, or an Error (no keychain, locked ...).
    using ReadResult = Result<std::optional<QString>>;
    using ReadFn = std::function<void(ReadResult)>;
    using StatusFn = std::function<void(Status)>;

    /// The keychain's service name the entries are kept under.
    static constexpr const char *kService = "Stagecoach";

    explicit SecretStore(QObject *parent = nullptr);
    ~SecretStore() override;

    /// std::nullopt only when no key is stored: a key in a locked keyring is an Error.
    void read(const SecretKey &key, ReadFn done, const QObject *context = nullptr);
    /// Replaces any key already stored. An empty secret is refused: use remove().
    void write(const SecretKey &key, const QString &secret, StatusFn done,
               const QObject *context = nullptr);
    /// Removing a key that is not stored succeeds; one in a locked keyring is an Error.
    void remove(const SecretKey &key, StatusFn done, const QObject *context = nullptr);

private:
    enum class Operation { Read, Write, Remove };
    Error keychainError(Operation operation, const SecretKey &key, int code,
                        const QString &detail) const;
    Error invalidKey(const SecretKey &key) const;
    QString whereOf(const SecretKey &key) const;
    Error lockedError(const SecretKey &key) const;
    void checkLocked(const SecretKey &key, std::function<void(bool locked)> next);
    template<typename Answer>
    std::function<void(Answer)> guarded(const QObject *context, std::function<void(Answer)> done);
    template<typename Answer>
    void answerLater(std::function<void(Answer)> done, Answer answer);
};
