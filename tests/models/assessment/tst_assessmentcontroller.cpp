#include "assessment/assessmentcontroller.h"
#include "assessment/assessmentrepository.h"
#include "catalog/platformcatalog.h"
#include "store/projectstore.h"
#include "testsupport.h"

#include <QAbstractItemModelTester>
#include <QSignalSpy>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <QTest>

using namespace Qt::StringLiterals;

namespace {

QByteArray mailchimpCsv(int rows, const QByteArray &extra = {})
{
    QByteArray csv = "Email Address,First Name,MEMBER_RATING,OPTIN_TIME,CONFIRM_TIME,LAST_CHANGED,TAGS\r\n";
    for (int i = 0; i < rows; ++i)
        csv += "person" + QByteArray::number(i) + "@example.com,Name" + QByteArray::number(i) + ","
             + QByteArray::number(1 + i % 5) + ",2024-01-01 10:00:00,,2025-06-01 10:00:00,\"\"\"VIP\"\"\"\r\n";
    return csv + extra;
}

} // namespace

class tst_AssessmentController : public QObject
{
    Q_OBJECT

private:
    QTemporaryDir m_dir;
    PlatformCatalog m_catalog;

    std::unique_ptr<ProjectStore> newStore(const QString &name)
    {
        auto store = ProjectStore::create(m_dir.filePath(name), name);
        if (!store.ok())
            qFatal("cannot create project: %s", qPrintable(store.error().toString()));
        return std::move(store.value());
    }

    static bool waitForState(AssessmentController &c, AssessmentController::State state)
    {
        return QTest::qWaitFor([&] { return c.state() == state; }, 20000);
    }

private Q_SLOTS:
    void initTestCase()
    {
        QStandardPaths::setTestModeEnabled(true);
        QVERIFY(m_dir.isValid());
        auto catalog = PlatformCatalog::load(QStringLiteral(STAGECOACH_SOURCE_DIR) + u"/resources/catalog/platforms.json"_s);
        QVERIFY2(catalog.ok(), qPrintable(catalog.ok() ? QString() : catalog.error().toString()));
        m_catalog = catalog.value();
    }

    void assessesInTheBackgroundAndRecords()
    {
        auto store = newStore(u"a.stagecoach"_s);
        const QString csv = TestSupport::writeFile(m_dir.path(), u"subscribed_members_export_a.csv"_s, mailchimpCsv(500));
        AssessmentController c(store.get(), &m_catalog);
        QCOMPARE(c.state(), AssessmentController::State::Empty);
        QSignalSpy states(&c, &AssessmentController::stateChanged);
        QSignalSpy inventory(&c, &AssessmentController::inventoryChanged);

        c.addFiles({csv});
        QCOMPARE(c.state(), AssessmentController::State::Running);
        QVERIFY(waitForState(c, AssessmentController::State::Ready));
        QVERIFY(c.inventory().has_value());
        QCOMPARE(c.inventory()->total, 500);
        QCOMPARE(c.inventory()->count(ContactStatus::Subscribed), 500);
        QCOMPARE(c.files(), QStringList{csv});
        QVERIFY(inventory.count() >= 1);
        QCOMPARE(states.count(), 2); // Running, Ready

        // Recorded in the project: a fresh repository reads the same figures.
        auto stored = AssessmentRepository(store->database()).load();
        QVERIFY(stored.has_value());
        QCOMPARE(stored->inventory.total, 500);
        QCOMPARE(stored->files, QStringList{csv});

        new QAbstractItemModelTester(c.fieldsModel(), QAbstractItemModelTester::FailureReportingMode::QtTest, this);
        new QAbstractItemModelTester(c.tagsModel(), QAbstractItemModelTester::FailureReportingMode::QtTest, this);
        new QAbstractItemModelTester(c.risksModel(), QAbstractItemModelTester::FailureReportingMode::QtTest, this);
        QCOMPARE(c.fieldsModel()->rowCount(), 6);
        QCOMPARE(c.tagsModel()->rowCount(), 1);
        QCOMPARE(c.tagsModel()->index(0, TagsModel::Name).data().toString(), u"VIP"_s);
    }

    void failedRunChangesNothing()
    {
        auto store = newStore(u"b.stagecoach"_s);
        const QString good = TestSupport::writeFile(m_dir.path(), u"subscribed_members_export_b.csv"_s, mailchimpCsv(10));
        const QString ragged = TestSupport::writeFile(m_dir.path(), u"unsubscribed_members_export_b.csv"_s,
                                                      mailchimpCsv(3, "broken@example.com,only,three\r\n"));
        AssessmentController c(store.get(), &m_catalog);
        c.addFiles({good});
        QVERIFY(waitForState(c, AssessmentController::State::Ready));
        const QDateTime firstAssessed = c.assessedAt();

        QSignalSpy failed(&c, &AssessmentController::failed);
        c.addFiles({ragged});
        QVERIFY(failed.wait(20000));
        const Error error = failed.takeFirst().at(0).value<Error>();
        QVERIFY2(error.where.contains(u"unsubscribed_members_export_b.csv line 5"_s), qPrintable(error.toString()));
        QCOMPARE(c.state(), AssessmentController::State::Ready);
        QCOMPARE(c.files(), QStringList{good});
        QCOMPARE(c.inventory()->total, 10);
        auto stored = AssessmentRepository(store->database()).load();
        QCOMPARE(stored->files, QStringList{good});
        QCOMPARE(stored->assessedAt, firstAssessed);
    }

    void cancelLeavesTheStoredAssessment()
    {
        auto store = newStore(u"c.stagecoach"_s);
        const QString big = TestSupport::writeFile(m_dir.path(), u"subscribed_members_export_c.csv"_s, mailchimpCsv(600000));
        AssessmentController c(store.get(), &m_catalog);
        QSignalSpy cancelled(&c, &AssessmentController::cancelled);
        QSignalSpy progress(&c, &AssessmentController::progressChanged);
        c.addFiles({big});
        QVERIFY(QTest::qWaitFor([&] { return progress.count() >= 2; }, 20000));
        c.cancel();
        QVERIFY(cancelled.wait(20000) || cancelled.count() == 1);
        QCOMPARE(c.state(), AssessmentController::State::Empty);
        QVERIFY(!c.inventory().has_value());
        QVERIFY(!AssessmentRepository(store->database()).load().has_value());
    }

    void reopenedProjectShowsTheSameAssessment()
    {
        const QString path = m_dir.filePath(u"d.stagecoach"_s);
        const QString csv = TestSupport::writeFile(m_dir.path(), u"subscribed_members_export_d.csv"_s,
                                                   mailchimpCsv(20, "person1@example.com,dup,1,,,,\r\nnot-an-address,x,2,,,,\r\n"));
        {
            auto store = newStore(u"d.stagecoach"_s);
            AssessmentController c(store.get(), &m_catalog);
            c.addFiles({csv});
            QVERIFY(waitForState(c, AssessmentController::State::Ready));
            c.setTargetId(u"brevo"_s);
            QModelIndex row = c.assetsModel(AssetKind::Automation)->addRow();
            QVERIFY(c.assetsModel(AssetKind::Automation)->setData(row, u"Welcome series"_s));
        }
        auto store = ProjectStore::open(path);
        QVERIFY(store.ok());
        AssessmentController c(store.value().get(), &m_catalog);
        QCOMPARE(c.state(), AssessmentController::State::Ready);
        QCOMPARE(c.inventory()->total, 22);
        QCOMPARE(c.inventory()->duplicates, 1);
        QCOMPARE(c.inventory()->invalidEmails, 1);
        QCOMPARE(c.targetId(), u"brevo"_s);
        QCOMPARE(c.duplicatesModel()->rowCount(), 1);
        QCOMPARE(c.invalidModel()->rowCount(), 1);
        QCOMPARE(c.invalidModel()->index(0, FindingsModel::Address).data().toString(), u"not-an-address"_s);
        QCOMPARE(c.invalidModel()->index(0, FindingsModel::Line).data().toLongLong(), 23);
        QCOMPARE(c.assetsModel(AssetKind::Automation)->rowCount(), 1);

        // Risks reflect the target and the hand-entered automation.
        QStringList ids;
        for (const Risk &r : c.risks())
            ids.append(r.id);
        QVERIFY2(ids.contains(u"tagsNotNative"_s), qPrintable(ids.join(u',')));
        QVERIFY(ids.contains(u"automations"_s));
        QVERIFY(ids.contains(u"duplicates"_s));
        QVERIFY(!ids.contains(u"noTarget"_s));
    }

    void findingsModelFiltersAndPages()
    {
        QByteArray extra;
        for (int i = 0; i < 700; ++i)
            extra += "Person" + QByteArray::number(i) + "@Example.com,again,1,,,,\r\n";
        auto store = newStore(u"e.stagecoach"_s);
        const QString csv = TestSupport::writeFile(m_dir.path(), u"subscribed_members_export_e.csv"_s, mailchimpCsv(700, extra));
        AssessmentController c(store.get(), &m_catalog);
        new QAbstractItemModelTester(c.duplicatesModel(), QAbstractItemModelTester::FailureReportingMode::QtTest, this);
        c.addFiles({csv});
        QVERIFY(waitForState(c, AssessmentController::State::Ready));
        FindingsModel *dups = c.duplicatesModel();
        QCOMPARE(dups->rowCount(), 700);
        // Past the first page (256 rows): row 600 is the 601st duplicate, on line 2 + 700 + 600.
        QCOMPARE(dups->index(600, FindingsModel::Line).data().toLongLong(), 1302);
        QCOMPARE(dups->index(600, FindingsModel::Address).data().toString(), u"Person600@Example.com"_s);
        dups->setFilterText(u"person69"_s);
        QCOMPARE(dups->rowCount(), 11); // 69, 690..699
        dups->setFilterText(u"100%_"_s); // LIKE wildcards are taken literally
        QCOMPARE(dups->rowCount(), 0);
        dups->setFilterText(QString());
        QCOMPARE(dups->rowCount(), 700);
    }

    void assetsAreSavedAsTheyAreEdited()
    {
        auto store = newStore(u"f.stagecoach"_s);
        AssessmentController c(store.get(), &m_catalog);
        AssetsModel *domains = c.assetsModel(AssetKind::SendingDomain);
        new QAbstractItemModelTester(domains, QAbstractItemModelTester::FailureReportingMode::QtTest, this);
        const QModelIndex a = domains->addRow();
        QVERIFY(domains->setData(a, u"news.example.com"_s));
        QVERIFY(domains->setData(domains->index(0, AssetsModel::Plan), u"rebuild"_s));
        QVERIFY(!domains->setData(domains->index(0, AssetsModel::Plan), u"bogus"_s));
        domains->addRow();
        QVERIFY(domains->setData(domains->index(1, AssetsModel::Name), u"mail.example.org"_s));
        QVERIFY(domains->removeRows(0, 1));

        const QList<Asset> saved = AssessmentRepository(store->database()).assets(AssetKind::SendingDomain);
        QCOMPARE(saved.size(), 1);
        QCOMPARE(saved.first().name, u"mail.example.org"_s);
        QCOMPARE(AssessmentRepository(store->database()).assetCounts().value(AssetKind::SendingDomain), 1);
    }
};

QTEST_GUILESS_MAIN(tst_AssessmentController)
#include "tst_assessmentcontroller.moc"
