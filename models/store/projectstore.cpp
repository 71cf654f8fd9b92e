#include "store/projectstore.h"

#include "store/schema.h"

#include <QDateTime>
#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QLoggingCategory>
#include <QSqlError>
#include <QSqlQuery>
#include <QUuid>
#include <QtEndian>

Q_LOGGING_CATEGORY(lcStore, "stagecoach.store", QtWarningMsg)

namespace {

constexpr char kSqliteMagic[] = "SQLite format 3";

QString newConnectionName()
{
    return QStringLiteral("stagecoach-") + QUuid::createUuid().toString(QUuid::WithoutBraces);
}

QString lockPath(const QString &path)
{
    return path + QStringLiteral(".lock");
}

bool exec(QSqlDatabase &db, const QString &sql, QString *error = nullptr)
{
    QSqlQuery q(db);
    if (q.exec(sql))
        return true;
    if (error)
        *error = q.lastError().text();
    return false;
}

QString pragma(QSqlDatabase &db, const QString &name)
{
    QSqlQuery q(db);
    if (!q.exec(QStringLiteral("PRAGMA ") + name) || !q.next())
        return {};
    return q.value(0).toString();
}

void removeSidecars(const QString &path)
{
    QFile::remove(path + QStringLiteral("-wal"));
    QFile::remove(path + QStringLiteral("-shm"));
}

// Sets the pragmas every connection to a project uses.
bool configure(QSqlDatabase &db, QString *error)
{
    return exec(db, QStringLiteral("PRAGMA journal_mode = WAL"), error)
        // NORMAL in WAL mode: a crash or kill of the app loses nothing; only a power cut may lose
        // the last transactions.
        && exec(db, QStringLiteral("PRAGMA synchronous = NORMAL"), error)
        && exec(db, QStringLiteral("PRAGMA foreign_keys = ON"), error)
        && exec(db, QStringLiteral("PRAGMA busy_timeout = 5000"), error);
}

} // namespace

std::optional<Error> ProjectStore::inspect(const QString &path, int newestVersion)
{
    const QFileInfo info(path);
    const QString shown = info.fileName();
    if (!info.exists())
        return Error{tr("the file does not exist."), shown, tr("It may have been moved or deleted.")};
    if (!info.isFile())
        return Error{tr("this is a folder, not a project file."), shown};
    QFile f(path);
    if (!f.open(QIODevice::ReadOnly))
        return Error{tr("the file cannot be read: %1.").arg(f.errorString()), shown,
                     tr("Check its permissions.")};
    const QByteArray header = f.read(100);
    if (header.isEmpty())
        return Error{tr("the file is empty, so it is not a Stagecoach project."), shown};
    if (header.size() < 100 || !header.startsWith(QByteArrayView(kSqliteMagic, sizeof kSqliteMagic)))
        return Error{tr("this is not a Stagecoach project (it is not an SQLite database)."), shown,
                     tr("Choose a .stagecoach file.")};
    const auto be32 = [&](int offset) { return qFromBigEndian<quint32>(header.constData() + offset); };
    if (be32(68) != Schema::kApplicationId)
        return Error{tr("this is not a Stagecoach project (it is another program's SQLite database)."), shown,
                     tr("Choose a .stagecoach file.")};
    const int version = int(be32(60));
    if (version > newestVersion)
        return Error{tr("this project was saved by a newer version of Stagecoach (project format %1; "
                        "this version reads up to %2).")
                         .arg(version)
                         .arg(newestVersion),
                     shown, tr("Update Stagecoach to open it. The file was not changed.")};
    return std::nullopt;
}

Result<std::unique_ptr<ProjectStore>> ProjectStore::create(const QString &path, const QString &name,
                                                          const QList<SchemaMigration> &migrations)
{
    const QFileInfo info(path);
    const QString shown = info.fileName();
    if (!info.absoluteDir().exists())
        return Error{tr("the folder does not exist."), info.absolutePath()};

    QLockFile lock(lockPath(path));
    lock.setStaleLockTime(0);
    if (QFile::exists(path) && !lock.tryLock(0))
        return Error{tr("the project there is open in another Stagecoach window."), shown,
                     tr("Close it there first, or choose another name.")};
    lock.unlock();

    // Build the new file beside the target, then move it into place in one step.
    const QString temp = path + QStringLiteral(".new-") + QUuid::createUuid().toString(QUuid::Id128).left(8);
    {
        const QString connection = newConnectionName();
        {
            QSqlDatabase db = QSqlDatabase::addDatabase(QStringLiteral("QSQLITE"), connection);
            db.setDatabaseName(temp);
            QString error;
            const bool ok = db.open()
                && exec(db, QStringLiteral("PRAGMA application_id = %1").arg(Schema::kApplicationId), &error);
            Status migrated = ok ? Schema::migrate(db, migrations) : Status(Error{error.isEmpty() ? db.lastError().text() : error});
            if (migrated) {
                QSqlQuery q(db);
                q.prepare(QStringLiteral("INSERT INTO settings (key, value) VALUES ('name', ?), ('createdAt', ?)"));
                q.addBindValue(name);
                q.addBindValue(QDateTime::currentDateTimeUtc().toString(Qt::ISODate));
                if (!q.exec())
                    migrated = Error{q.lastError().text()};
            }
            db.close();
            if (!migrated) {
                QFile::remove(temp);
                return Error{tr("the project could not be created: %1").arg(migrated.error().message), shown,
                             tr("Check that the folder is writable and the disk is not full.")};
            }
        }
        QSqlDatabase::removeDatabase(connection);
    }
    removeSidecars(temp);
    QFile::remove(path);
    removeSidecars(path); // a stale WAL must never be replayed into the new file
    if (!QFile::rename(temp, path)) {
        QFile::remove(temp);
        return Error{tr("the project could not be written there."), shown,
                     tr("Check that the folder is writable.")};
    }
    return open(path, migrations);
}

Result<std::unique_ptr<ProjectStore>> ProjectStore::open(const QString &path,
                                                         const QList<SchemaMigration> &migrations)
{
    const QString absolute = QFileInfo(path).absoluteFilePath();
    const int newest = migrations.constLast().toVersion;
    if (const auto problem = inspect(absolute, newest))
        return *problem;
    const QString shown = QFileInfo(absolute).fileName();

    auto lock = std::make_unique<QLockFile>(lockPath(absolute));
    if (!lock->tryLock(0)) {
        qint64 pid = 0;
        QString host, app;
        lock->getLockInfo(&pid, &host, &app);
        return Error{tr("the project is already open in another Stagecoach window (process %1).").arg(pid), shown,
                     tr("Switch to that window, or close it and open the project again.")};
    }

    std::unique_ptr<ProjectStore> store(new ProjectStore);
    store->m_lock = std::move(lock);
    if (Status s = store->openConnection(absolute, migrations); !s)
        return Error{s.error().message, shown, s.error().hint};
    return store;
}

Status ProjectStore::prepare(QSqlDatabase &db, const QString &path, const QList<SchemaMigration> &migrations)
{
    const int newest = migrations.constLast().toVersion;
    db.setDatabaseName(path);
    if (!db.open())
        return Error{tr("the project cannot be opened: %1.").arg(db.lastError().text())};
    // Read-only checks first: a damaged file is reported, not repaired or rewritten.
    const QString check = pragma(db, QStringLiteral("quick_check"));
    if (check != u"ok")
        return Error{tr("the project file is damaged (%1).").arg(check.isEmpty() ? tr("it cannot be read") : check),
                     QString(),
                     tr("The file was not changed. Open a backup copy, or the .bak file beside it if "
                        "there is one.")};
    if (pragma(db, QStringLiteral("application_id")).toUInt() != Schema::kApplicationId)
        return Error{tr("this is not a Stagecoach project.")};
    const int version = Schema::userVersion(db);
    if (version > newest)
        return Error{tr("this project was saved by a newer version of Stagecoach."), QString(),
                     tr("Update Stagecoach to open it. The file was not changed.")};
    QString error;
    if (version < newest && version >= 1) {
        // Keep the old file before upgrading it.
        const QString backup = path + QStringLiteral(".v%1.bak").arg(version);
        QFile::remove(backup);
        QSqlQuery q(db);
        q.prepare(QStringLiteral("VACUUM INTO ?"));
        q.addBindValue(backup);
        if (!q.exec())
            return Error{tr("a copy of the project could not be kept before upgrading it: %1.").arg(q.lastError().text()),
                         QString(), tr("The file was not changed. Free some disk space and open it again.")};
        qCInfo(lcStore) << "upgrading project from schema" << version << "to" << newest;
    }
    if (!configure(db, &error))
        return Error{tr("the project cannot be opened for writing: %1.").arg(error), QString(),
                     tr("Check that the file and its folder are writable.")};
    if (version < newest)
        return Schema::migrate(db, migrations);
    return Status::success();
}

Status ProjectStore::openConnection(const QString &path, const QList<SchemaMigration> &migrations)
{
    m_path = path;
    m_connection = newConnectionName();
    Status status;
    {
        QSqlDatabase db = QSqlDatabase::addDatabase(QStringLiteral("QSQLITE"), m_connection);
        status = prepare(db, path, migrations);
    }
    if (!status)
        closeConnection();
    return status;
}

void ProjectStore::closeConnection()
{
    if (m_connection.isEmpty())
        return;
    {
        QSqlDatabase db = QSqlDatabase::database(m_connection, false);
        if (db.isOpen())
            db.close();
    }
    QSqlDatabase::removeDatabase(m_connection);
    m_connection.clear();
}

ProjectStore::~ProjectStore()
{
    closeConnection();
}

QSqlDatabase ProjectStore::database() const
{
    return QSqlDatabase::database(m_connection, false);
}

QVariant ProjectStore::value(const QString &key, const QVariant &defaultValue) const
{
    QSqlQuery q(database());
    q.prepare(QStringLiteral("SELECT value FROM settings WHERE key = ?"));
    q.addBindValue(key);
    if (!q.exec() || !q.next())
        return defaultValue;
    return q.value(0);
}

Status ProjectStore::setValue(const QString &key, const QVariant &value)
{
    QSqlQuery q(database());
    q.prepare(QStringLiteral("INSERT INTO settings (key, value) VALUES (?, ?) "
                             "ON CONFLICT (key) DO UPDATE SET value = excluded.value"));
    q.addBindValue(key);
    q.addBindValue(value);
    if (!q.exec())
        return Error{tr("the change could not be saved: %1.").arg(q.lastError().text()),
                     QFileInfo(m_path).fileName(), tr("Check that the disk is not full and the file is writable.")};
    return Status::success();
}

Status ProjectStore::setValues(const QList<QPair<QString, QVariant>> &values)
{
    QSqlDatabase db = database();
    const auto failed = [this](const QString &why) {
        return Error{tr("the change could not be saved: %1.").arg(why), QFileInfo(m_path).fileName(),
                     tr("Check that the disk is not full and the file is writable.")};
    };
    if (!db.transaction())
        return failed(db.lastError().text());
    QSqlQuery q(db);
    q.prepare(QStringLiteral("INSERT INTO settings (key, value) VALUES (?, ?) "
                             "ON CONFLICT (key) DO UPDATE SET value = excluded.value"));
    for (const auto &[key, value] : values) {
        q.bindValue(0, key);
        q.bindValue(1, value);
        if (!q.exec()) {
            const QString why = q.lastError().text();
            db.rollback();
            return failed(why);
        }
    }
    if (!db.commit()) {
        const QString why = db.lastError().text();
        db.rollback();
        return failed(why);
    }
    return Status::success();
}

QString ProjectStore::name() const
{
    return value(QStringLiteral("name")).toString();
}

Status ProjectStore::setName(const QString &name)
{
    return setValue(QStringLiteral("name"), name);
}

Status ProjectStore::saveAs(const QString &newPath)
{
    const QString target = QFileInfo(newPath).absoluteFilePath();
    const QString shown = QFileInfo(target).fileName();
    if (target == m_path)
        return Status::success();

    auto lock = std::make_unique<QLockFile>(lockPath(target));
    if (!lock->tryLock(0))
        return Error{tr("a project there is open in another Stagecoach window."), shown,
                     tr("Choose another name.")};

    const QString temp = target + QStringLiteral(".new-") + QUuid::createUuid().toString(QUuid::Id128).left(8);
    QSqlQuery q(database());
    q.prepare(QStringLiteral("VACUUM INTO ?"));
    q.addBindValue(temp);
    if (!q.exec()) {
        QFile::remove(temp);
        return Error{tr("the copy could not be written: %1.").arg(q.lastError().text()), shown,
                     tr("Check that the folder is writable and the disk is not full.")};
    }
    QFile::remove(target);
    removeSidecars(target);
    if (!QFile::rename(temp, target)) {
        QFile::remove(temp);
        return Error{tr("the copy could not be moved into place."), shown, tr("Check that the folder is writable.")};
    }

    const QString oldPath = m_path;
    closeConnection();
    if (Status s = openConnection(target); !s) {
        // Stay on the old file rather than on nothing.
        openConnection(oldPath).ok();
        return Error{s.error().message, shown, s.error().hint};
    }
    m_lock = std::move(lock);
    return Status::success();
}

ThreadConnection::ThreadConnection(const QString &path) : m_name(newConnectionName())
{
    QSqlDatabase db = QSqlDatabase::addDatabase(QStringLiteral("QSQLITE"), m_name);
    db.setDatabaseName(path);
    if (!QFileInfo::exists(path)) {
        m_error = Error{tr("the project file is gone."), QFileInfo(path).fileName()};
        return;
    }
    QString error;
    if (!db.open())
        m_error = Error{tr("the project cannot be opened: %1.").arg(db.lastError().text()), QFileInfo(path).fileName()};
    else if (!configure(db, &error))
        m_error = Error{tr("the project cannot be opened for writing: %1.").arg(error), QFileInfo(path).fileName()};
}

ThreadConnection::~ThreadConnection()
{
    {
        QSqlDatabase db = QSqlDatabase::database(m_name, false);
        if (db.isOpen())
            db.close();
    }
    QSqlDatabase::removeDatabase(m_name);
}

QSqlDatabase ThreadConnection::database() const
{
    return QSqlDatabase::database(m_name, false);
}
