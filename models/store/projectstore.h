#pragma once

#include "core/result.h"
#include "store/schema.h"

#include <QCoreApplication>
#include <QList>
#include <QLockFile>
#include <QPair>
#include <QSqlDatabase>
#include <QString>
#include <QVariant>

#include <memory>

/**
 * A Stagecoach project file: an SQLite database (WAL) with a versioned schema. Every change is
 * written when it is made; there is no unsaved state. One process at a time holds a project
 * (a lock file beside it); other threads of that process open their own connections
 * (ThreadConnection).
 */
class ProjectStore
{
    Q_DECLARE_TR_FUNCTIONS(ProjectStore)

public:
    static constexpr const char *kSuffix = "stagecoach";

    /// Creates a new project at path (replacing a file there, as the user confirmed), named `name`.
    static Result<std::unique_ptr<ProjectStore>> create(const QString &path, const QString &name,
                                                        const QList<SchemaMigration> &migrations = Schema::migrations());

    /// Opens a project. A file that is not a Stagecoach project, comes from a newer version, is
    /// damaged, or is open elsewhere gives an error and is left untouched. An older project is
    /// upgraded in place, after a copy of it is kept beside it (".v<N>.bak").
    /// `migrations` is the schema history to bring the file to (tests pass a longer one).
    static Result<std::unique_ptr<ProjectStore>> open(const QString &path,
                                                      const QList<SchemaMigration> &migrations = Schema::migrations());

    ~ProjectStore();
    ProjectStore(const ProjectStore &) = delete;
    ProjectStore &operator=(const ProjectStore &) = delete;

    QString path() const { return m_path; }
    QString name() const;
    Status setName(const QString &name);

    /// Copies the project to newPath and continues on the copy (the old file stays as it was).
    Status saveAs(const QString &newPath);

    QVariant value(const QString &key, const QVariant &defaultValue = {}) const;
    Status setValue(const QString &key, const QVariant &value);
    /// Several settings in one transaction: all are saved, or none.
    Status setValues(const QList<QPair<QString, QVariant>> &values);

    /// The GUI thread's connection.
    QSqlDatabase database() const;

    /// Checks a file without changing it: nullopt if it is a project this version can open.
    static std::optional<Error> inspect(const QString &path, int newestVersion = Schema::currentVersion());

private:
    ProjectStore() = default;
    Status openConnection(const QString &path, const QList<SchemaMigration> &migrations = Schema::migrations());
    void closeConnection();
    static Status prepare(QSqlDatabase &db, const QString &path, const QList<SchemaMigration> &migrations);

    QString m_path;
    QString m_connection;
    std::unique_ptr<QLockFile> m_lock;
};

/**
 * A connection to a project file for the current (worker) thread; closed and removed when it goes
 * out of scope. Opening never creates or upgrades a file.
 */
class ThreadConnection
{
    Q_DECLARE_TR_FUNCTIONS(ThreadConnection)

public:
    explicit ThreadConnection(const QString &path);
    ~ThreadConnection();
    ThreadConnection(const ThreadConnection &) = delete;
    ThreadConnection &operator=(const ThreadConnection &) = delete;

    bool isOpen() const { return m_error.message.isEmpty(); }
    const Error &error() const { return m_error; }
    QSqlDatabase database() const;

private:
    QString m_name;
    Error m_error;
};
