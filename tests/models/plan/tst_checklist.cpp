#include "plan/checklist.h"
#include "plan/timeline.h"

#include <QTest>

using namespace Qt::StringLiterals;

namespace {

ChecklistItem item(qint64 id, const QString &stageKey, const QString &title)
{
    ChecklistItem i;
    i.id = id;
    i.stageKey = stageKey;
    i.title = title;
    return i;
}

Timeline twoStages()
{
    Timeline timeline;
    timeline.start = QDate(2024, 5, 6); // a Monday
    Stage backup;
    backup.key = u"backup"_s;
    backup.title = u"Backup"_s;
    backup.owner = u"Ana"_s;
    backup.durationDays = 2;
    Stage golive;
    golive.key = u"golive"_s;
    golive.kind = StageKind::GoLive;
    golive.title = u"Go-live"_s;
    golive.milestone = true;
    golive.durationDays = 0;
    golive.dependsOn = {u"backup"_s};
    timeline.stages = {backup, golive};
    timeline.schedule();
    return timeline;
}

} // namespace

class tst_Checklist : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void ownerAndDueFallBackToTheStage();
    void ownItemValuesWin();
    void orderFollowsTheStages();
    void itemsOfARemovedStageAreKept();
    void statusKeys_data();
    void statusKeys();
};

void tst_Checklist::ownerAndDueFallBackToTheStage()
{
    const Timeline timeline = twoStages();
    const QList<ResolvedChecklistItem> resolved
        = Checklist::resolve({item(1, u"backup"_s, u"Export every audience"_s)}, timeline);
    QCOMPARE(resolved.size(), 1);
    QCOMPARE(resolved.first().stageTitle, u"Backup"_s);
    QCOMPARE(resolved.first().owner, u"Ana"_s);
    QCOMPARE(resolved.first().due, QDate(2024, 5, 7)); // the stage's end
    // The item itself still says "follows the stage".
    QVERIFY(resolved.first().item.owner.isEmpty());
    QVERIFY(resolved.first().item.due.isNull());
}

void tst_Checklist::ownItemValuesWin()
{
    const Timeline timeline = twoStages();
    ChecklistItem own = item(1, u"backup"_s, u"Record checksums"_s);
    own.owner = u"Bo"_s;
    own.due = QDate(2024, 5, 6);
    const QList<ResolvedChecklistItem> resolved = Checklist::resolve({own}, timeline);
    QCOMPARE(resolved.size(), 1);
    QCOMPARE(resolved.first().owner, u"Bo"_s);
    QCOMPARE(resolved.first().due, QDate(2024, 5, 6));

    // A stage without an owner leaves an item without one empty.
    const QList<ResolvedChecklistItem> golive
        = Checklist::resolve({item(2, u"golive"_s, u"Go/no-go meeting"_s)}, timeline);
    QVERIFY(golive.first().owner.isEmpty());
    QCOMPARE(golive.first().due, QDate(2024, 5, 8)); // the milestone's day
}

void tst_Checklist::orderFollowsTheStages()
{
    const Timeline timeline = twoStages();
    const QList<ChecklistItem> items
        = {item(1, u"golive"_s, u"g1"_s), item(2, u"backup"_s, u"b1"_s),
           item(3, u"golive"_s, u"g2"_s), item(4, u"backup"_s, u"b2"_s)};
    const QList<ResolvedChecklistItem> resolved = Checklist::resolve(items, timeline);
    QStringList titles;
    for (const ResolvedChecklistItem &r : resolved)
        titles.append(r.item.title);
    QCOMPARE(titles, (QStringList{u"b1"_s, u"b2"_s, u"g1"_s, u"g2"_s}));
}

void tst_Checklist::itemsOfARemovedStageAreKept()
{
    const Timeline timeline = twoStages();
    ChecklistItem dated = item(2, u"wave-3"_s, u"Import wave 3"_s);
    dated.due = QDate(2024, 6, 3);
    dated.owner = u"Cy"_s;
    const QList<ChecklistItem> items
        = {item(1, u"wave-2"_s, u"Import wave 2"_s), dated, item(3, u"backup"_s, u"Export"_s)};
    const QList<ResolvedChecklistItem> resolved = Checklist::resolve(items, timeline);
    QCOMPARE(resolved.size(), 3);
    QCOMPARE(resolved.at(0).item.id, qint64(3));
    // Kept at the end, in their own order, with nothing to fall back on.
    QCOMPARE(resolved.at(1).item.id, qint64(1));
    QVERIFY(resolved.at(1).stageTitle.isEmpty());
    QVERIFY(resolved.at(1).owner.isEmpty());
    QVERIFY(resolved.at(1).due.isNull());
    QCOMPARE(resolved.at(2).item.id, qint64(2));
    QCOMPARE(resolved.at(2).owner, u"Cy"_s);
    QCOMPARE(resolved.at(2).due, QDate(2024, 6, 3));
}

void tst_Checklist::statusKeys_data()
{
    QTest::addColumn<ChecklistItem::Status>("status");
    QTest::addColumn<QString>("key");
    QTest::newRow("open") << ChecklistItem::Status::Open << u"open"_s;
    QTest::newRow("in progress") << ChecklistItem::Status::InProgress << u"inProgress"_s;
    QTest::newRow("done") << ChecklistItem::Status::Done << u"done"_s;
    QTest::newRow("blocked") << ChecklistItem::Status::Blocked << u"blocked"_s;
    QTest::newRow("skipped") << ChecklistItem::Status::Skipped << u"skipped"_s;
}

void tst_Checklist::statusKeys()
{
    QFETCH(ChecklistItem::Status, status);
    QFETCH(QString, key);
    QCOMPARE(ChecklistItem::statusKey(status), key);
    QCOMPARE(ChecklistItem::statusFromKey(key), status);
    QVERIFY(!ChecklistItem::statusName(status).isEmpty());
    QCOMPARE(ChecklistItem::statusFromKey(u"finished"), ChecklistItem::Status::Open);
}

QTEST_GUILESS_MAIN(tst_Checklist)
#include "tst_checklist.moc"
