#include "plan/checklistgenerator.h"

#include "testsupport.h"

#include <QLocale>
#include <QSet>
#include <QTemporaryDir>
#include <QTest>

#include <algorithm>

using namespace Qt::StringLiterals;

namespace {

const QString kBundled = u":/checklist/tasks.json"_s;
const QString kSource = u"tasks.json"_s;

Stage stage(const QString &key, StageKind kind, int days = 1, const QStringList &dependsOn = {})
{
    Stage s;
    s.key = key;
    s.kind = kind;
    s.title = key;
    s.durationDays = days;
    s.milestone = days == 0;
    s.dependsOn = dependsOn;
    return s;
}

/// A template with one task per kind named after the kind, so that items show where they came from.
ChecklistTemplate oneTaskPerKind()
{
    ChecklistTemplate tpl;
    for (const QString &key : StageKinds::keys())
        tpl.setTasks(*StageKinds::fromKey(key), {ChecklistTask{u"task of "_s + key, false, 0}});
    return tpl;
}

ChecklistTemplate parse(const QByteArray &json)
{
    Result<ChecklistTemplate> tpl = ChecklistTemplate::fromJson(json, kSource);
    if (!tpl.ok())
        qWarning() << tpl.error().toString();
    return tpl.ok() ? tpl.value() : ChecklistTemplate{};
}

} // namespace

class tst_ChecklistGenerator : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void bundledTemplate();
    void generatePerStageKind_data();
    void generatePerStageKind();
    void generateFullTimeline();
    void placeholders();
    void dueDates_data();
    void dueDates();
    void unscheduledStageLeavesDueNull();
    void subtractWorkingDays_data();
    void subtractWorkingDays();
    void subtractUndoesAdd();
    void templateErrors_data();
    void templateErrors();
    void loadNamesTheFile();
    void missingKindGetsNoTasks();
};

void tst_ChecklistGenerator::bundledTemplate()
{
    Result<ChecklistTemplate> tpl = ChecklistTemplate::load(kBundled);
    QVERIFY2(tpl.ok(), qPrintable(tpl.ok() ? QString() : tpl.error().toString()));
    for (const QString &key : StageKinds::keys()) {
        const QList<ChecklistTask> tasks = tpl->tasks(*StageKinds::fromKey(key));
        QVERIFY2(!tasks.isEmpty(), qPrintable(key));
    }
    // The go/no-go points a migration cannot do without.
    for (StageKind kind :
         {StageKind::SuppressionWave, StageKind::SubscriberWave, StageKind::GoLive}) {
        const QList<ChecklistTask> tasks = tpl->tasks(kind);
        QVERIFY2(std::any_of(tasks.cbegin(), tasks.cend(),
                             [](const ChecklistTask &t) { return t.milestone; }),
                 qPrintable(StageKinds::key(kind)));
    }
    // DNS needs time: domain authentication is due before the setup ends.
    const QList<ChecklistTask> setup = tpl->tasks(StageKind::InitialSetup);
    QVERIFY(std::any_of(setup.cbegin(), setup.cend(), [](const ChecklistTask &t) {
        return t.title.contains(u"DKIM"_s) && t.offsetDays > 0;
    }));
}

void tst_ChecklistGenerator::generatePerStageKind_data()
{
    QTest::addColumn<QString>("kindKey");
    for (const QString &key : StageKinds::keys())
        QTest::newRow(qPrintable(key)) << key;
}

void tst_ChecklistGenerator::generatePerStageKind()
{
    QFETCH(QString, kindKey);
    const StageKind kind = *StageKinds::fromKey(kindKey);

    Timeline timeline;
    timeline.start = QDate(2024, 5, 6);
    Stage s = stage(u"the-stage"_s, kind, 3);
    s.owner = u"Ana"_s;
    timeline.stages = {s};
    timeline.schedule();

    const QList<ChecklistItem> items = ChecklistGenerator::generate(timeline, oneTaskPerKind());
    QCOMPARE(items.size(), 1);
    const ChecklistItem &item = items.first();
    QCOMPARE(item.title, u"task of "_s + kindKey);
    QCOMPARE(item.stageKey, u"the-stage"_s);
    QCOMPARE(item.id, qint64(0));
    QVERIFY(item.owner.isEmpty()); // follows the stage
    QVERIFY(item.due.isNull());    // follows the stage
    QCOMPARE(item.status, ChecklistItem::Status::Open);
    QVERIFY(!item.milestone);
    QVERIFY(item.notes.isEmpty());
}

void tst_ChecklistGenerator::generateFullTimeline()
{
    Result<ChecklistTemplate> tpl = ChecklistTemplate::load(kBundled);
    QVERIFY(tpl.ok());

    Timeline timeline;
    timeline.start = QDate(2024, 5, 6);
    timeline.stages = {stage(u"backup"_s, StageKind::Backup, 2),
                       stage(u"setup"_s, StageKind::InitialSetup, 5, {u"backup"_s}),
                       stage(u"wave-0"_s, StageKind::SuppressionWave, 1, {u"setup"_s}),
                       stage(u"wave-1"_s, StageKind::SubscriberWave, 3, {u"wave-0"_s}),
                       stage(u"wave-2"_s, StageKind::SubscriberWave, 3, {u"wave-1"_s}),
                       stage(u"golive"_s, StageKind::GoLive, 0, {u"wave-2"_s})};
    timeline.schedule();

    const QList<ChecklistItem> items = ChecklistGenerator::generate(timeline, tpl.value());
    qsizetype expected = 0;
    for (const Stage &s : std::as_const(timeline.stages))
        expected += tpl->tasks(s.kind).size();
    QCOMPARE(items.size(), expected);

    // In stage order, each stage's tasks in template order, milestones from the template.
    qsizetype i = 0;
    for (const Stage &s : std::as_const(timeline.stages)) {
        for (const ChecklistTask &task : tpl->tasks(s.kind)) {
            QCOMPARE(items.at(i).stageKey, s.key);
            QCOMPARE(items.at(i).milestone, task.milestone);
            QCOMPARE(items.at(i).offsetDays, task.offsetDays);
            QVERIFY(items.at(i).due.isNull()); // follows the stage when it moves
            ++i;
        }
    }
    // Every placeholder was filled in; the two waves' tasks differ.
    QSet<QString> titles;
    for (const ChecklistItem &item : items) {
        QVERIFY2(!item.title.contains(u'{') && !item.title.contains(u'}'), qPrintable(item.title));
        if (item.stageKey.startsWith(u"wave-"_s) && item.stageKey != u"wave-0"_s)
            titles.insert(item.title);
    }
    QVERIFY(titles.contains(u"Import all contacts of wave 1"_s));
    QVERIFY(titles.contains(u"Import all contacts of wave 2"_s));
}

void tst_ChecklistGenerator::placeholders()
{
    const ChecklistTemplate tpl = parse(R"json({"stages": {
        "suppressions": [{"title": "Suppress {contacts} contacts (wave {wave})"}],
        "wave": [{"title": "Import {contacts} contacts of wave {wave}; recheck wave {wave}"}]}})json");

    Timeline timeline;
    timeline.start = QDate(2024, 5, 6);
    Stage suppressions = stage(u"wave-0"_s, StageKind::SuppressionWave);
    suppressions.contacts = 830;
    Stage first = stage(u"wave-7"_s, StageKind::SubscriberWave); // the key decides the number
    first.contacts = 12500;
    Stage second = stage(u"extra"_s, StageKind::SubscriberWave); // no number: the second wave
    timeline.stages = {suppressions, first, second};
    timeline.schedule();

    const QList<ChecklistItem> items = ChecklistGenerator::generate(timeline, tpl);
    QCOMPARE(items.size(), 3);
    QCOMPARE(items.at(0).title, u"Suppress %1 contacts (wave 0)"_s.arg(QLocale().toString(830)));
    QCOMPARE(items.at(1).title,
             u"Import %1 contacts of wave 7; recheck wave 7"_s.arg(QLocale().toString(12500)));
    QCOMPARE(items.at(2).title, u"Import all contacts of wave 2; recheck wave 2"_s);
}

void tst_ChecklistGenerator::dueDates_data()
{
    QTest::addColumn<QDate>("stageStart");
    QTest::addColumn<int>("durationDays");
    QTest::addColumn<int>("offsetDays");
    QTest::addColumn<QDate>("due");

    // 2024-05-06 is a Monday.
    QTest::newRow("no offset: the stage's end") << QDate(2024, 5, 6) << 3 << 0 << QDate(2024, 5, 8);
    QTest::newRow("within the week") << QDate(2024, 5, 6) << 3 << 1 << QDate(2024, 5, 7);
    QTest::newRow("over a weekend") << QDate(2024, 5, 6) << 6 << 1 << QDate(2024, 5, 10);
    QTest::newRow("a working week before the end") << QDate(2024, 5, 6) << 10 << 5 << QDate(2024, 5, 10);
    QTest::newRow("across New Year") << QDate(2023, 12, 27) << 6 << 3 << QDate(2023, 12, 29);
    // Preparation is due early in the stage, but never before the stage (or the plan) starts.
    QTest::newRow("never before the stage starts") << QDate(2024, 5, 6) << 1 << 5 << QDate(2024, 5, 6);
    QTest::newRow("Saturday start moves to Monday") << QDate(2024, 5, 4) << 2 << 1 << QDate(2024, 5, 6);
}

void tst_ChecklistGenerator::dueDates()
{
    QFETCH(QDate, stageStart);
    QFETCH(int, durationDays);
    QFETCH(int, offsetDays);
    QFETCH(QDate, due);

    ChecklistTemplate tpl;
    tpl.setTasks(StageKind::InitialSetup, {ChecklistTask{u"Publish DKIM"_s, false, offsetDays}});
    Timeline timeline;
    timeline.start = stageStart;
    timeline.stages = {stage(u"setup"_s, StageKind::InitialSetup, durationDays)};
    timeline.schedule();

    const QList<ChecklistItem> items = ChecklistGenerator::generate(timeline, tpl);
    QCOMPARE(items.size(), 1);
    QVERIFY(items.first().due.isNull());
    QCOMPARE(items.first().offsetDays, offsetDays);
    const QList<ResolvedChecklistItem> resolved = Checklist::resolve(items, timeline);
    QCOMPARE(resolved.first().due, due);
    QVERIFY(WorkingDays::isWorkingDay(resolved.first().due));

    // When the stage moves a week later, the task's due date moves with it.
    timeline.start = timeline.start.addDays(7);
    timeline.schedule();
    QCOMPARE(Checklist::resolve(items, timeline).first().due, due.addDays(7));
}

void tst_ChecklistGenerator::unscheduledStageLeavesDueNull()
{
    ChecklistTemplate tpl;
    tpl.setTasks(StageKind::GoLive, {ChecklistTask{u"Announce"_s, false, 5}});
    Timeline timeline; // schedule() not called: no stage has dates
    timeline.stages = {stage(u"golive"_s, StageKind::GoLive, 0)};
    const QList<ChecklistItem> items = ChecklistGenerator::generate(timeline, tpl);
    QCOMPARE(items.size(), 1);
    QVERIFY(items.first().due.isNull());
    QVERIFY(Checklist::resolve(items, timeline).first().due.isNull());
}

void tst_ChecklistGenerator::subtractWorkingDays_data()
{
    QTest::addColumn<QDate>("from");
    QTest::addColumn<int>("n");
    QTest::addColumn<QDate>("expected");

    QTest::newRow("Friday, 0") << QDate(2024, 5, 3) << 0 << QDate(2024, 5, 3);
    QTest::newRow("Saturday, 0: Friday") << QDate(2024, 5, 4) << 0 << QDate(2024, 5, 3);
    QTest::newRow("Sunday, 1: Thursday") << QDate(2024, 5, 5) << 1 << QDate(2024, 5, 2);
    QTest::newRow("Monday, 1: Friday") << QDate(2024, 5, 6) << 1 << QDate(2024, 5, 3);
    QTest::newRow("Friday, 4: Monday") << QDate(2024, 5, 10) << 4 << QDate(2024, 5, 6);
    QTest::newRow("Friday, 5: Friday before") << QDate(2024, 5, 10) << 5 << QDate(2024, 5, 3);
    QTest::newRow("Wednesday, 23") << QDate(2024, 5, 8) << 23 << QDate(2024, 4, 5);
}

void tst_ChecklistGenerator::subtractWorkingDays()
{
    QFETCH(QDate, from);
    QFETCH(int, n);
    QFETCH(QDate, expected);
    QCOMPARE(WorkingDays::subtract(from, n), expected);
}

void tst_ChecklistGenerator::subtractUndoesAdd()
{
    for (QDate d(2024, 4, 29); d < QDate(2024, 5, 6); d = d.addDays(1)) {
        if (!WorkingDays::isWorkingDay(d))
            continue;
        for (int n = 0; n < 30; ++n)
            QCOMPARE(WorkingDays::subtract(WorkingDays::add(d, n), n), d);
    }
}

void tst_ChecklistGenerator::templateErrors_data()
{
    QTest::addColumn<QByteArray>("json");
    QTest::addColumn<QString>("messagePart");

    QTest::newRow("not JSON") << QByteArray("{\"stages\": {") << u"not valid JSON"_s;
    QTest::newRow("empty file") << QByteArray() << u"not valid JSON"_s;
    QTest::newRow("no stages") << QByteArray(R"json({"tasks": []})json")
                               << u"no \"stages\" object"_s;
    QTest::newRow("stages a list")
        << QByteArray(R"json({"stages": []})json") << u"no \"stages\" object"_s;
    QTest::newRow("newer version")
        << QByteArray(R"json({"version": 2, "stages": {}})json") << u"version 2"_s;
    QTest::newRow("unknown kind") << QByteArray(
        R"json({"stages": {"backup": [], "migration": []}})json")
                                  << u"unknown stage kind \"migration\""_s;
    QTest::newRow("tasks not a list")
        << QByteArray(R"json({"stages": {"backup": {"title": "x"}}})json")
        << u"\"backup\" are not a list"_s;
    QTest::newRow("no title") << QByteArray(
        R"json({"stages": {"setup": [{"title": "a"}, {"milestone": true}]}})json")
                              << u"task 2 of stage kind \"setup\" has no title"_s;
    QTest::newRow("blank title") << QByteArray(
        R"json({"stages": {"setup": [{"title": "  "}]}})json")
                                 << u"has no title"_s;
    QTest::newRow("task a string")
        << QByteArray(R"json({"stages": {"setup": ["Create lists"]}})json") << u"has no title"_s;
    QTest::newRow("milestone a string")
        << QByteArray(R"json({"stages": {"golive": [{"title": "Go", "milestone": "yes"}]}})json")
        << u"\"milestone\" must be true or false"_s;
    QTest::newRow("negative offset")
        << QByteArray(R"json({"stages": {"setup": [{"title": "DKIM", "offsetDays": -1}]}})json")
        << u"\"offsetDays\""_s;
    QTest::newRow("fractional offset")
        << QByteArray(R"json({"stages": {"setup": [{"title": "DKIM", "offsetDays": 1.5}]}})json")
        << u"\"offsetDays\""_s;
    QTest::newRow("offset a string")
        << QByteArray(R"json({"stages": {"setup": [{"title": "DKIM", "offsetDays": "2"}]}})json")
        << u"\"offsetDays\""_s;
    QTest::newRow("offset of years")
        << QByteArray(R"json({"stages": {"setup": [{"title": "DKIM", "offsetDays": 1000}]}})json")
        << u"\"offsetDays\""_s;
    QTest::newRow("unknown placeholder")
        << QByteArray(R"json({"stages": {"wave": [{"title": "Import wave {number}"}]}})json")
        << u"unknown placeholder {number}"_s;
}

void tst_ChecklistGenerator::templateErrors()
{
    QFETCH(QByteArray, json);
    QFETCH(QString, messagePart);

    const Result<ChecklistTemplate> tpl = ChecklistTemplate::fromJson(json, kSource);
    QVERIFY(!tpl.ok());
    QVERIFY2(tpl.error().message.contains(messagePart), qPrintable(tpl.error().message));
    QCOMPARE(tpl.error().where, kSource);
    QVERIFY(!tpl.error().hint.isEmpty());
}

void tst_ChecklistGenerator::loadNamesTheFile()
{
    QTemporaryDir dir;
    QVERIFY(dir.isValid());

    const QString missing = dir.filePath(u"missing.json"_s);
    const Result<ChecklistTemplate> none = ChecklistTemplate::load(missing);
    QVERIFY(!none.ok());
    QCOMPARE(none.error().where, missing);
    QVERIFY(none.error().message.contains(u"cannot be read"_s));

    const QString broken
        = TestSupport::writeFile(dir.path(), u"broken.json"_s, "{\"stages\": {\"wave\": [}");
    QVERIFY(!broken.isEmpty());
    const Result<ChecklistTemplate> bad = ChecklistTemplate::load(broken);
    QVERIFY(!bad.ok());
    QCOMPARE(bad.error().where, broken);
    QVERIFY(bad.error().toString().contains(u"broken.json"_s));

    const QString good = TestSupport::writeFile(
        dir.path(), u"good.json"_s,
        R"json({"stages": {"review": [{"title": "Sign off", "milestone": true}]}})json");
    const Result<ChecklistTemplate> ok = ChecklistTemplate::load(good);
    QVERIFY(ok.ok());
    QCOMPARE(ok->tasks(StageKind::Review).size(), 1);
    QVERIFY(ok->tasks(StageKind::Review).first().milestone);
}

void tst_ChecklistGenerator::missingKindGetsNoTasks()
{
    const ChecklistTemplate tpl
        = parse(R"json({"version": 1, "stages": {"backup": [{"title": "Export"}]}})json");
    QCOMPARE(tpl.tasks(StageKind::Backup).size(), 1);
    Timeline timeline;
    timeline.start = QDate(2024, 5, 6);
    timeline.stages
        = {stage(u"backup"_s, StageKind::Backup), stage(u"review"_s, StageKind::Review)};
    timeline.schedule();
    const QList<ChecklistItem> items = ChecklistGenerator::generate(timeline, tpl);
    QCOMPARE(items.size(), 1);
    QCOMPARE(items.first().stageKey, u"backup"_s);
}

QTEST_GUILESS_MAIN(tst_ChecklistGenerator)
#include "tst_checklistgenerator.moc"
