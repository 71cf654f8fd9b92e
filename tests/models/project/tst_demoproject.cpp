#include "assessment/assessmentrepository.h"
#include "project/demoproject.h"
#include "store/projectstore.h"
#include "testsupport.h"

#include <QFile>
#include <QTemporaryDir>
#include <QTest>

using namespace Qt::StringLiterals;

class tst_DemoProject : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void createdOnFirstUseThenReused()
    {
        QTemporaryDir dir;
        const QString bundled = QStringLiteral(STAGECOACH_SOURCE_DIR) + u"/resources/demo/mailchimp-demo-export.zip"_s;
        const QString folder = dir.filePath(u"data/demo"_s);

        auto first = DemoProject::ensure(folder, bundled);
        QVERIFY2(first.ok(), qPrintable(first.ok() ? QString() : first.error().toString()));
        QVERIFY(first->created);
        QVERIFY(QFile::exists(first->project));
        QCOMPARE(TestSupport::sha256(first->exportFile), TestSupport::sha256(bundled));
        {
            auto store = ProjectStore::open(first->project);
            QVERIFY(store.ok());
            QVERIFY(store.value()->name().contains(u"Northwind"_s));
            // The demo rehearses against the sandbox inside the application.
            QCOMPARE(store.value()->value(u"connection.sandbox"_s).toString(), u"demo"_s);
            // A marker of the user's work on the demo: it must survive the next ensure().
            QVERIFY(store.value()->setValue(u"ui.step"_s, u"timeline"_s).ok());
        }

        auto second = DemoProject::ensure(folder, bundled);
        QVERIFY(second.ok());
        QVERIFY(!second->created);
        QCOMPARE(second->project, first->project);
        auto store = ProjectStore::open(second->project);
        QVERIFY(store.ok());
        QCOMPARE(store.value()->value(u"ui.step"_s).toString(), u"timeline"_s);
        QCOMPARE(store.value()->value(u"connection.sandbox"_s).toString(), u"demo"_s);
        store.value().reset();

        // A demo made before the sandbox existed is switched to it; its work stays.
        {
            auto old = ProjectStore::open(second->project);
            QVERIFY(old.ok());
            QVERIFY(old.value()->setValue(u"connection.sandbox"_s, QVariant()).ok());
        }
        QVERIFY(DemoProject::ensure(folder, bundled).ok());
        auto upgraded = ProjectStore::open(second->project);
        QVERIFY(upgraded.ok());
        QCOMPARE(upgraded.value()->value(u"connection.sandbox"_s).toString(), u"demo"_s);
        QCOMPARE(upgraded.value()->value(u"ui.step"_s).toString(), u"timeline"_s);
    }

    void unwritableFolderIsAClearError()
    {
        QTemporaryDir dir;
        const QString file = TestSupport::writeFile(dir.path(), u"not-a-folder"_s, "x");
        auto result = DemoProject::ensure(file + u"/demo"_s, u"/nonexistent.zip"_s);
        QVERIFY(!result.ok());
        QVERIFY2(result.error().message.contains(u"cannot be created"_s), qPrintable(result.error().toString()));
    }
};

QTEST_GUILESS_MAIN(tst_DemoProject)
#include "tst_demoproject.moc"
