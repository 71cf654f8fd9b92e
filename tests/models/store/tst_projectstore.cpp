#include "store/projectstore.h"
#include "store/schema.h"
#include "testsupport.h"

#include <QFile>
#include <QSqlDatabase>
#include <QSqlQuery>
#include <QTemporaryDir>
#include <QTest>

using namespace Qt::StringLiterals;

class tst_ProjectStore : public QObject
{
    Q_OBJECT

private:
    QTemporaryDir m_dir;
    QString path(const QString &name) const { return m_dir.filePath(name); }

    // An SQLite file made with plain Qt Sql, for the foreign-file cases.
    static void makeSqlite(const QString &file, const QStringList &statements)
    {
        {
            QSqlDatabase db = QSqlDatabase::addDatabase(u"QSQLITE"_s, u"raw"_s);
            db.setDatabaseName(file);
            QVERIFY(db.open());
            for (const QString &sql : statements) {
                QSqlQuery q(db);
                QVERIFY2(q.exec(sql), qPrintable(sql));
            }
            db.close();
        }
        QSqlDatabase::removeDatabase(u"raw"_s);
    }

private Q_SLOTS:
    void initTestCase() { QVERIFY(m_dir.isValid()); }

    void createAndReopen()
    {
        const QString file = path(u"plan.stagecoach"_s);
        {
            auto store = ProjectStore::create(file, u"Spring move"_s);
            QVERIFY2(store.ok(), qPrintable(store.ok() ? QString() : store.error().toString()));
            QCOMPARE(store.value()->name(), u"Spring move"_s);
            QVERIFY(store.value()->setValue(u"ui.step"_s, u"objectives"_s).ok());
            QVERIFY(store.value()->setValue(u"name"_s, u"Spring move \u00e9t\u00e9"_s).ok());
        }
        auto reopened = ProjectStore::open(file);
        QVERIFY(reopened.ok());
        QCOMPARE(reopened.value()->name(), u"Spring move \u00e9t\u00e9"_s);
        QCOMPARE(reopened.value()->value(u"ui.step"_s).toString(), u"objectives"_s);
        QCOMPARE(reopened.value()->value(u"missing"_s, 42).toInt(), 42);

        // The file is what it says: SQLite, our application id, the current schema, WAL.
        QSqlDatabase db = reopened.value()->database();
        QSqlQuery q(db);
        QVERIFY(q.exec(u"PRAGMA journal_mode"_s) && q.next());
        QCOMPARE(q.value(0).toString(), u"wal"_s);
        QVERIFY(q.exec(u"PRAGMA application_id"_s) && q.next());
        QCOMPARE(q.value(0).toUInt(), Schema::kApplicationId);
        QCOMPARE(Schema::userVersion(db), Schema::currentVersion());
    }

    void editsSurviveWithoutClosing()
    {
        // "No unsaved state": a value set is on disk before the store closes, readable by another
        // connection straight away.
        const QString file = path(u"live.stagecoach"_s);
        auto store = ProjectStore::create(file, u"Live"_s);
        QVERIFY(store.ok());
        QVERIFY(store.value()->setValue(u"k"_s, u"v1"_s).ok());
        ThreadConnection other(file);
        QVERIFY(other.isOpen());
        QSqlQuery q(other.database());
        QVERIFY(q.exec(u"SELECT value FROM settings WHERE key = 'k'"_s) && q.next());
        QCOMPARE(q.value(0).toString(), u"v1"_s);
    }

    void secondOpenIsRefused()
    {
        const QString file = path(u"locked.stagecoach"_s);
        auto first = ProjectStore::create(file, u"Locked"_s);
        QVERIFY(first.ok());
        auto second = ProjectStore::open(file);
        QVERIFY(!second.ok());
        QVERIFY2(second.error().message.contains(u"already open"_s), qPrintable(second.error().toString()));
        first.value().reset();
        QVERIFY(ProjectStore::open(file).ok());
    }

    void refusesBadFiles_data()
    {
        QTest::addColumn<QByteArray>("content");
        QTest::addColumn<QString>("expected");
        QTest::newRow("empty") << QByteArray() << u"empty"_s;
        QTest::newRow("text") << QByteArray("Email Address,First Name\nann@example.com,Ann\n") << u"not an SQLite database"_s;
        QTest::newRow("short sqlite magic") << QByteArray("SQLite format 3\0", 16) << u"not an SQLite database"_s;
        QTest::newRow("binary") << QByteArray(4096, '\x7f') << u"not an SQLite database"_s;
    }

    void refusesBadFiles()
    {
        QFETCH(QByteArray, content);
        QFETCH(QString, expected);
        const QString file = TestSupport::writeFile(m_dir.path(), u"bad-%1.stagecoach"_s.arg(QLatin1String(QTest::currentDataTag())).replace(u' ', u'-'), content);
        QVERIFY(!file.isEmpty());
        const QByteArray before = TestSupport::sha256(file);
        auto store = ProjectStore::open(file);
        QVERIFY(!store.ok());
        QVERIFY2(store.error().message.contains(expected), qPrintable(store.error().toString()));
        QCOMPARE(TestSupport::sha256(file), before);
        QCOMPARE(QFile(file).size(), qint64(content.size()));
    }

    void refusesAnotherProgramsDatabase()
    {
        const QString file = path(u"other.db"_s);
        makeSqlite(file, {u"CREATE TABLE t (x)"_s, u"INSERT INTO t VALUES (1)"_s});
        const QByteArray before = TestSupport::sha256(file);
        auto store = ProjectStore::open(file);
        QVERIFY(!store.ok());
        QVERIFY2(store.error().message.contains(u"another program"_s), qPrintable(store.error().toString()));
        QCOMPARE(TestSupport::sha256(file), before);
        QVERIFY(!QFile::exists(file + u"-wal"_s));
    }

    void refusesNewerVersion()
    {
        const QString file = path(u"future.stagecoach"_s);
        makeSqlite(file, {u"PRAGMA application_id = %1"_s.arg(Schema::kApplicationId),
                          u"PRAGMA user_version = %1"_s.arg(Schema::currentVersion() + 1),
                          u"CREATE TABLE settings (key TEXT PRIMARY KEY, value TEXT)"_s});
        const QByteArray before = TestSupport::sha256(file);
        auto store = ProjectStore::open(file);
        QVERIFY(!store.ok());
        QVERIFY2(store.error().message.contains(u"newer version"_s), qPrintable(store.error().toString()));
        QVERIFY(store.error().hint.contains(u"not changed"_s));
        QCOMPARE(TestSupport::sha256(file), before);
    }

    void refusesDamagedProject_data()
    {
        QTest::addColumn<QString>("how");
        QTest::newRow("overwritten pages") << u"overwrite"_s;
        QTest::newRow("truncated") << u"truncate"_s;
    }

    void refusesDamagedProject()
    {
        QFETCH(QString, how);
        const QString file = path(u"damaged-%1.stagecoach"_s.arg(how));
        {
            auto store = ProjectStore::create(file, u"Damaged"_s);
            QVERIFY(store.ok());
            // Enough rows to span many pages, so the damage lands inside the b-tree.
            QSqlDatabase db = store.value()->database();
            QVERIFY(db.transaction());
            QSqlQuery q(db);
            q.prepare(u"INSERT INTO settings (key, value) VALUES (?, ?)"_s);
            for (int i = 0; i < 2000; ++i) {
                q.addBindValue(u"key-%1"_s.arg(i));
                q.addBindValue(QString(200, QChar(u'a' + i % 26)));
                QVERIFY(q.exec());
            }
            QVERIFY(db.commit());
        }
        QFile f(file);
        QVERIFY(f.open(QIODevice::ReadWrite));
        const qint64 size = f.size();
        QVERIFY(size > 64 * 1024);
        if (how == u"overwrite") {
            f.seek(size / 2);
            f.write(QByteArray(8192, '\xA5'));
        } else {
            f.resize(size / 2 + 100);
        }
        f.close();
        const QByteArray before = TestSupport::sha256(file);

        auto store = ProjectStore::open(file);
        QVERIFY(!store.ok());
        QVERIFY2(store.error().message.contains(u"damaged"_s), qPrintable(store.error().toString()));
        QCOMPARE(TestSupport::sha256(file), before);
    }

    void migrationsRunForwardInOneTransaction()
    {
        // A project from "version 1" of a three-step history is brought to version 3, keeping its data.
        const QList<SchemaMigration> history = {
            {1, {u"CREATE TABLE a (x INTEGER)"_s}},
            {2, {u"ALTER TABLE a ADD COLUMN y TEXT DEFAULT 'two'"_s}},
            {3, {u"CREATE TABLE b (z INTEGER)"_s, u"INSERT INTO b SELECT x FROM a"_s}},
        };
        const QString file = path(u"migrate.sqlite"_s);
        QSqlDatabase db = QSqlDatabase::addDatabase(u"QSQLITE"_s, u"migrate"_s);
        db.setDatabaseName(file);
        QVERIFY(db.open());
        QVERIFY(Schema::migrate(db, history.mid(0, 1)).ok());
        QCOMPARE(Schema::userVersion(db), 1);
        QSqlQuery q(db);
        QVERIFY(q.exec(u"INSERT INTO a (x) VALUES (7)"_s));

        QVERIFY(Schema::migrate(db, history).ok());
        QCOMPARE(Schema::userVersion(db), 3);
        QVERIFY(q.exec(u"SELECT a.x, a.y, b.z FROM a, b"_s) && q.next());
        QCOMPARE(q.value(0).toInt(), 7);
        QCOMPARE(q.value(1).toString(), u"two"_s);
        QCOMPARE(q.value(2).toInt(), 7);
        db.close();
        db = QSqlDatabase();
        QSqlDatabase::removeDatabase(u"migrate"_s);
    }

    void failedMigrationLeavesTheFileAsItWas()
    {
        const QList<SchemaMigration> history = {
            {1, {u"CREATE TABLE a (x INTEGER)"_s}},
            {2, {u"ALTER TABLE a ADD COLUMN y TEXT"_s}},
            {3, {u"THIS IS NOT SQL"_s}},
        };
        const QString file = path(u"failing.sqlite"_s);
        {
            QSqlDatabase db = QSqlDatabase::addDatabase(u"QSQLITE"_s, u"failing"_s);
            db.setDatabaseName(file);
            QVERIFY(db.open());
            QVERIFY(Schema::migrate(db, history.mid(0, 1)).ok());
            const Status s = Schema::migrate(db, history);
            QVERIFY(!s.ok());
            QVERIFY2(s.error().message.contains(u"version 3"_s), qPrintable(s.error().toString()));
            // Step 2 ran inside the same transaction and was rolled back with step 3.
            QCOMPARE(Schema::userVersion(db), 1);
            QSqlQuery q(db);
            QVERIFY(!q.exec(u"SELECT y FROM a"_s));
            db.close();
        }
        QSqlDatabase::removeDatabase(u"failing"_s);
    }

    void opensAndUpgradesAnOlderProject()
    {
        // A project saved by this version, opened by a "later" version with one more migration: it
        // is upgraded in place, its data kept, and a copy of the old file kept beside it.
        const QString file = path(u"older.stagecoach"_s);
        {
            auto store = ProjectStore::create(file, u"Older"_s);
            QVERIFY(store.ok());
            QVERIFY(store.value()->setValue(u"k"_s, u"kept"_s).ok());
        }
        QList<SchemaMigration> later = Schema::migrations();
        const int next = Schema::currentVersion() + 1;
        later.append({next, {u"CREATE TABLE later_table (x INTEGER)"_s}});

        auto upgraded = ProjectStore::open(file, later);
        QVERIFY2(upgraded.ok(), qPrintable(upgraded.ok() ? QString() : upgraded.error().toString()));
        {
            QSqlDatabase db = upgraded.value()->database();
            QCOMPARE(Schema::userVersion(db), next);
            QSqlQuery q(db);
            QVERIFY(q.exec(u"SELECT COUNT(*) FROM later_table"_s));
        }
        QCOMPARE(upgraded.value()->value(u"k"_s).toString(), u"kept"_s);
        upgraded.value().reset();

        const QString backup = file + u".v%1.bak"_s.arg(Schema::currentVersion());
        QVERIFY2(QFile::exists(backup), qPrintable(backup));
        auto old = ProjectStore::open(backup);
        QVERIFY2(old.ok(), qPrintable(old.ok() ? QString() : old.error().toString()));
        QCOMPARE(old.value()->value(u"k"_s).toString(), u"kept"_s);
        {
            QSqlDatabase db = old.value()->database();
            QCOMPARE(Schema::userVersion(db), Schema::currentVersion());
        }
        old.value().reset();

        // And this version refuses the upgraded file as newer, leaving it untouched.
        const QByteArray before = TestSupport::sha256(file);
        auto refused = ProjectStore::open(file);
        QVERIFY(!refused.ok());
        QVERIFY(refused.error().message.contains(u"newer version"_s));
        QCOMPARE(TestSupport::sha256(file), before);
    }

    void saveAsCopiesAndContinuesOnTheCopy()
    {
        const QString original = path(u"original.stagecoach"_s);
        const QString copy = path(u"copy.stagecoach"_s);
        auto store = ProjectStore::create(original, u"Original"_s);
        QVERIFY(store.ok());
        QVERIFY(store.value()->setValue(u"k"_s, u"before"_s).ok());
        QVERIFY(store.value()->saveAs(copy).ok());
        QCOMPARE(store.value()->path(), QFileInfo(copy).absoluteFilePath());
        QVERIFY(store.value()->setValue(u"k"_s, u"after"_s).ok());
        store.value().reset();

        auto a = ProjectStore::open(original);
        QVERIFY(a.ok());
        QCOMPARE(a.value()->value(u"k"_s).toString(), u"before"_s);
        auto b = ProjectStore::open(copy);
        QVERIFY(b.ok());
        QCOMPARE(b.value()->value(u"k"_s).toString(), u"after"_s);
        QCOMPARE(b.value()->name(), u"Original"_s);
    }

    void createReplacesAFileAndItsStaleLog()
    {
        const QString file = path(u"replace.stagecoach"_s);
        QVERIFY(!TestSupport::writeFile(m_dir.path(), u"replace.stagecoach"_s, "old").isEmpty());
        QVERIFY(!TestSupport::writeFile(m_dir.path(), u"replace.stagecoach-wal"_s, QByteArray(4096, 'w')).isEmpty());
        auto store = ProjectStore::create(file, u"Fresh"_s);
        QVERIFY2(store.ok(), qPrintable(store.ok() ? QString() : store.error().toString()));
        QCOMPARE(store.value()->name(), u"Fresh"_s);
    }

    void missingFileIsAClearError()
    {
        auto store = ProjectStore::open(path(u"nowhere.stagecoach"_s));
        QVERIFY(!store.ok());
        QVERIFY(store.error().message.contains(u"does not exist"_s));
        QVERIFY(!QFile::exists(path(u"nowhere.stagecoach"_s)));
    }
};

QTEST_GUILESS_MAIN(tst_ProjectStore)
#include "tst_projectstore.moc"
