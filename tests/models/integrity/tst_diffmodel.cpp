// The lazy table of differences: QAbstractItemModelTester-clean, filters by kind, field and text.

#include "integrity/diffengine.h"
#include "integrity/diffmodel.h"
#include "testsupport.h"

#include <QAbstractItemModelTester>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTest>

using namespace Qt::StringLiterals;

class tst_DiffModel : public QObject
{
    Q_OBJECT

private:
    QTemporaryDir m_dir;
    std::shared_ptr<const DiffResult> m_result;

    static QStringList emails(const DiffModel &m)
    {
        QStringList out;
        for (int r = 0; r < m.rowCount(); ++r)
            out.append(m.index(r, DiffModel::EmailColumn).data().toString());
        return out;
    }

private Q_SLOTS:
    void initTestCase()
    {
        // Generic CSVs with the same columns: compared by name.
        const QString source = TestSupport::writeFile(
            m_dir.path(), u"source.csv"_s,
            "Email,Name,City,Status\n"
            "amy@example.com,Amy,Oslo,unsubscribed\n"
            "bob@example.com,Bob,Rome,subscribed\n"
            "cat@example.com,Cat,Rome,subscribed\n"
            "dan@example.com,Dan,Rome,subscribed\n"
            "eve@example.com,Eve,Rome,subscribed\n");
        const QString target = TestSupport::writeFile(
            m_dir.path(), u"target.csv"_s,
            "Email,Name,City,Status\n"
            "amy@example.com,Amy,Oslo,subscribed\n"
            "bob@example.com,Robert,Rome,subscribed\n"
            "cat@example.com,Cat,Paris,subscribed\n"
            "dan@example.com,Daniel,Milan,subscribed\n"
            "fay@example.com,Fay,Rome,subscribed\n");
        DiffInput input;
        input.source = DiffEngine::sideFor(source, nullptr, true);
        input.target = DiffEngine::sideFor(target, nullptr, false);
        Result<DiffResult> r = DiffEngine::compare(std::move(input));
        QVERIFY2(r.ok(), qPrintable(r.ok() ? QString() : r.error().toString()));
        QCOMPARE(r->summary.fields.size(), 2); // Name, City (Status is the status)
        m_result = std::make_shared<const DiffResult>(std::move(r).value());
    }

    void rowsAndColumns()
    {
        DiffModel model;
        QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
        QCOMPARE(model.rowCount(), 0);
        model.setResult(m_result);
        QCOMPARE(model.rowCount(), 6);
        QCOMPARE(model.columnCount(), int(DiffModel::ColumnCount));
        QCOMPARE(emails(model), (QStringList{u"amy@example.com"_s, u"eve@example.com"_s, u"fay@example.com"_s,
                                             u"bob@example.com"_s, u"cat@example.com"_s, u"dan@example.com"_s}));
        QCOMPARE(model.index(0, DiffModel::KindColumn).data().toString(), u"Consent violation"_s);
        QCOMPARE(model.index(0, 0).data(DiffModel::ConsentViolationRole).toBool(), true);
        QCOMPARE(model.index(1, 0).data(DiffModel::ConsentViolationRole).toBool(), false);
        QCOMPARE(model.index(0, DiffModel::FieldsColumn).data().toString(), u"status"_s);
        QCOMPARE(model.index(5, DiffModel::FieldsColumn).data().toString(), u"Name, City"_s);
        QCOMPARE(model.index(0, DiffModel::SourceStatusColumn).data().toString(), u"Unsubscribed"_s);
        QCOMPARE(model.index(0, DiffModel::TargetStatusColumn).data().toString(), u"Subscribed"_s);
        QCOMPARE(model.index(1, DiffModel::TargetStatusColumn).data().toString(), QString()); // missing
        QCOMPARE(model.headerData(DiffModel::EmailColumn, Qt::Horizontal).toString(), u"Email"_s);
    }

    void filters()
    {
        DiffModel model;
        QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
        model.setResult(m_result);
        QSignalSpy reset(&model, &QAbstractItemModel::modelReset);

        model.setKindFilter({DiffKind::Changed});
        QCOMPARE(emails(model), (QStringList{u"bob@example.com"_s, u"cat@example.com"_s, u"dan@example.com"_s}));
        model.setFieldFilter(1); // City
        QCOMPARE(emails(model), (QStringList{u"cat@example.com"_s, u"dan@example.com"_s}));
        model.setTextFilter(u"  DAN "_s);
        QCOMPARE(emails(model), (QStringList{u"dan@example.com"_s}));
        QCOMPARE(model.resultRow(0), 5);
        Result<DiffDetail> d = model.detail(0);
        QVERIFY(d.ok());
        QCOMPARE(d->fields[1].sourceValue, u"Rome"_s);
        QCOMPARE(d->fields[1].targetValue, u"Milan"_s);

        model.setKindFilter({});
        model.setFieldFilter(-1);
        QCOMPARE(emails(model), (QStringList{u"dan@example.com"_s}));
        model.setTextFilter(u"nobody"_s);
        QCOMPARE(model.rowCount(), 0);
        model.setTextFilter(QString());
        QCOMPARE(model.rowCount(), 6);
        model.setKindFilter({DiffKind::Missing, DiffKind::Extra});
        QCOMPARE(emails(model), (QStringList{u"eve@example.com"_s, u"fay@example.com"_s}));
        model.setKindFilter({});
        model.setFieldFilter(DiffModel::kStatusField);
        QCOMPARE(emails(model), (QStringList{u"amy@example.com"_s}));
        QCOMPARE(reset.count(), 10);
        model.setFieldFilter(DiffModel::kStatusField); // unchanged: no reset
        QCOMPARE(reset.count(), 10);
    }
};

QTEST_GUILESS_MAIN(tst_DiffModel)
#include "tst_diffmodel.moc"
