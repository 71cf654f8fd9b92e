#include "reports/checklistexport.h"

#include "csv/csvreader.h"
#include "plan/timeline.h"

#include "testsupport.h"

#include <QDir>
#include <QFile>
#include <QSet>
#include <QTemporaryDir>
#include <QTest>

#include <libical/ical.h>

#include <memory>

using namespace Qt::StringLiterals;

namespace {

const QString kProject = u"Müller & Söhne, \"Spring\" migration"_s;

// User text that breaks naive writers: delimiters, quotes, line breaks, markup, non-ASCII.
const QString kTrickyTitle = u"Check \"Zoë's\" list, then DKIM; résumé 日本語 ✉"_s;
const QString kTrickyNotes
    = u"First line, with comma\nSecond \"quoted\" line\n  indented Ünïcode"_s;
const QString kMarkupTitle
    = u"*Launch* [now](http://x.example) <b>1</b> _ok_ #tag `code` a|b ~x~ &amp; $5"_s;
const QString kMarkupNotes = u"- not a list\n1. not numbered\n# not a heading\n+ plus\n==="_s;

Timeline timeline()
{
    Timeline t;
    t.start = QDate(2024, 5, 6); // a Monday
    Stage backup;
    backup.key = u"backup"_s;
    backup.title = u"Backup"_s;
    backup.owner = u"Ana"_s;
    backup.durationDays = 2;
    Stage wave;
    wave.key = u"wave-1"_s;
    wave.kind = StageKind::SubscriberWave;
    wave.title = u"Wave 1, most engaged"_s;
    wave.owner = u"Émile"_s;
    wave.durationDays = 3;
    wave.dependsOn = {u"backup"_s};
    Stage golive;
    golive.key = u"golive"_s;
    golive.kind = StageKind::GoLive;
    golive.title = u"Go-live"_s;
    golive.owner = u"Ana"_s;
    golive.milestone = true;
    golive.durationDays = 0;
    golive.dependsOn = {u"wave-1"_s};
    golive.exitCriteria = u"Bounces < 2 %\nNo complaints"_s;
    t.stages = {backup, wave, golive};
    t.schedule(); // backup 05-06..05-07, wave 05-08..05-10, go-live 05-13
    return t;
}

QList<ChecklistItem> items()
{
    QList<ChecklistItem> out;
    auto add = [&out](const QString &stage, const QString &title) -> ChecklistItem & {
        ChecklistItem item;
        item.id = out.size() + 1;
        item.stageKey = stage;
        item.title = title;
        out.append(item);
        return out.last();
    };
    add(u"backup"_s, u"Export every audience"_s).status = ChecklistItem::Status::Done;
    ChecklistItem &tricky = add(u"backup"_s, kTrickyTitle);
    tricky.notes = kTrickyNotes;
    tricky.owner = u"  Bo Østergård "_s; // leading and trailing blanks survive
    tricky.due = QDate(2024, 5, 6);
    add(u"wave-1"_s, kMarkupTitle).notes = kMarkupNotes;
    ChecklistItem &gate = add(u"wave-1"_s, u"Go/no-go: wave 1 within the objectives"_s);
    gate.milestone = true;
    add(u"wave-1"_s, u"Spot-check 20 contacts"_s).status = ChecklistItem::Status::Skipped;
    ChecklistItem &meeting = add(u"golive"_s, u"Go/no-go meeting"_s);
    meeting.milestone = true;
    meeting.status = ChecklistItem::Status::InProgress;
    add(u"wave-9"_s, u"Import wave 9"_s); // its stage was removed: no date to put it on
    return out;
}

QList<ResolvedChecklistItem> resolved()
{
    return Checklist::resolve(items(), timeline());
}

QByteArray readFile(const QString &path)
{
    QFile f(path);
    return f.open(QIODevice::ReadOnly) ? f.readAll() : QByteArray();
}

using Record = QStringList;

QList<Record> readCsv(const QString &path)
{
    QFile f(path);
    if (!f.open(QIODevice::ReadOnly))
        return {};
    CsvReader reader(path);
    QList<Record> records;
    const bool ok = reader.read(f, [&](qint64, std::span<const QByteArrayView> fields) {
        Record r;
        for (const QByteArrayView field : fields)
            r.append(QString::fromUtf8(field));
        records.append(r);
        return true;
    });
    if (!ok) {
        qWarning() << reader.error().toString();
        return {};
    }
    return records;
}

struct IcalComponentFree
{
    void operator()(icalcomponent *c) const { icalcomponent_free(c); }
};
using IcalPtr = std::unique_ptr<icalcomponent, IcalComponentFree>;

struct Event
{
    QString uid;
    QString summary;
    QString description;
    QDate start;
    QDate end;
    bool allDay = false;
    QStringList categories;
    icalproperty_status status = ICAL_STATUS_NONE;
};

QDate toDate(const icaltimetype &t)
{
    return QDate(t.year, t.month, t.day);
}

QList<Event> events(icalcomponent *calendar)
{
    QList<Event> out;
    for (icalcomponent *c = icalcomponent_get_first_component(calendar, ICAL_VEVENT_COMPONENT); c;
         c = icalcomponent_get_next_component(calendar, ICAL_VEVENT_COMPONENT)) {
        Event e;
        e.uid = QString::fromUtf8(icalcomponent_get_uid(c));
        e.summary = QString::fromUtf8(icalcomponent_get_summary(c));
        e.description = QString::fromUtf8(icalcomponent_get_description(c));
        const icaltimetype start = icalcomponent_get_dtstart(c);
        e.start = toDate(start);
        e.allDay = start.is_date;
        e.end = toDate(icalcomponent_get_dtend(c));
        for (icalproperty *p = icalcomponent_get_first_property(c, ICAL_CATEGORIES_PROPERTY); p;
             p = icalcomponent_get_next_property(c, ICAL_CATEGORIES_PROPERTY))
            e.categories.append(QString::fromUtf8(icalproperty_get_categories(p)));
        // Without a STATUS property libical answers ICAL_STATUS_X; NONE says "not there" here.
        if (icalcomponent_get_first_property(c, ICAL_STATUS_PROPERTY))
            e.status = icalcomponent_get_status(c);
        out.append(e);
    }
    return out;
}

const Event *findBySummaryStart(const QList<Event> &events, const QString &start)
{
    for (const Event &e : events) {
        if (e.summary.startsWith(start))
            return &e;
    }
    return nullptr;
}

} // namespace

class tst_ChecklistExport : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void init();
    void csvReadsBack();
    void csvQuotingAndBom();
    void csvEmpty();
    void csvDefusesFormulas();
    void icsReadsBack();
    void icsUidsStable();
    void icsUnsavedItemsGetDistinctUids();
    void markdownHeadingsAndTasks();
    void markdownEscapesUserText();
    void writeFailureLeavesNothing_data();
    void writeFailureLeavesNothing();
    void overwriteReplacesWholeFile();

private:
    std::unique_ptr<QTemporaryDir> m_dir;
};

void tst_ChecklistExport::init()
{
    m_dir = std::make_unique<QTemporaryDir>();
    QVERIFY(m_dir->isValid());
}

void tst_ChecklistExport::csvReadsBack()
{
    const QString path = m_dir->filePath(u"checklist.csv"_s);
    const QList<ResolvedChecklistItem> list = resolved();
    const Status written = ChecklistExport::writeCsv(path, list);
    QVERIFY2(written.ok(), qPrintable(written.ok() ? QString() : written.error().toString()));

    const QList<Record> records = readCsv(path);
    QCOMPARE(records.size(), list.size() + 1);
    QCOMPARE(records.first(), (Record{u"Stage"_s, u"Task"_s, u"Owner"_s, u"Due"_s, u"Status"_s,
                                      u"Milestone"_s, u"Notes"_s}));
    for (qsizetype i = 0; i < list.size(); ++i) {
        const ResolvedChecklistItem &r = list.at(i);
        const Record expected{r.stageTitle.isEmpty() ? r.item.stageKey : r.stageTitle,
                              r.item.title,
                              r.owner,
                              r.due.isValid() ? r.due.toString(Qt::ISODate) : QString(),
                              ChecklistItem::statusName(r.item.status),
                              r.item.milestone ? u"yes"_s : QString(),
                              r.item.notes.startsWith(u'-') ? u'\'' + r.item.notes : r.item.notes};
        QCOMPARE(records.at(i + 1), expected);
    }
    // Spot checks that the expectations above are the ones a user sees.
    QCOMPARE(records.at(1).at(0), u"Backup"_s);
    QCOMPARE(records.at(1).at(3), u"2024-05-07"_s); // the stage's end
    QCOMPARE(records.at(2).at(1), kTrickyTitle);
    QCOMPARE(records.at(2).at(2), u"  Bo Østergård "_s);
    QCOMPARE(records.at(2).at(6), kTrickyNotes);
    QCOMPARE(records.last().at(0), u"wave-9"_s); // stage gone: its key
    QVERIFY(records.last().at(3).isEmpty());
}

void tst_ChecklistExport::csvQuotingAndBom()
{
    const QString path = m_dir->filePath(u"checklist.csv"_s);
    QVERIFY(ChecklistExport::writeCsv(path, resolved()).ok());
    const QByteArray bytes = readFile(path);
    QVERIFY(bytes.startsWith("\xEF\xBB\xBF"
                             "Stage,Task,Owner,Due,Status,Milestone,Notes\r\n"));
    QVERIFY(bytes.contains(
        QString(u"\"Check \"\"Zoë's\"\" list, then DKIM; résumé 日本語 ✉\""_s).toUtf8()));
    QVERIFY(bytes.contains("\"First line, with comma\nSecond \"\"quoted\"\" line\n"));
    QVERIFY(bytes.contains("Backup,Export every audience,Ana,2024-05-07,Done,,\r\n"));
    QVERIFY(bytes.endsWith("\r\n"));

    QFile f(path);
    QVERIFY(f.open(QIODevice::ReadOnly));
    CsvReader reader(path);
    QVERIFY(reader.read(f, [](qint64, std::span<const QByteArrayView>) { return true; }));
    QVERIFY(reader.hadByteOrderMark());
    QCOMPARE(reader.delimiter(), ',');
    QCOMPARE(reader.encoding(), TextEncoding::Utf8);
}

void tst_ChecklistExport::csvEmpty()
{
    const QString path = m_dir->filePath(u"empty.csv"_s);
    QVERIFY(ChecklistExport::writeCsv(path, {}).ok());
    const QList<Record> records = readCsv(path);
    QCOMPARE(records.size(), 1); // the header only
}

void tst_ChecklistExport::csvDefusesFormulas()
{
    // Text a spreadsheet would run as a formula is written as text.
    QList<ResolvedChecklistItem> items = resolved();
    items[0].item.title = u"=HYPERLINK(\"http://evil.example\",\"click\")"_s;
    items[0].owner = u"@SUM(1+1)"_s;
    items[0].item.notes = u"-2+3"_s;
    const QString path = m_dir->filePath(u"formulas.csv"_s);
    QVERIFY(ChecklistExport::writeCsv(path, items).ok());
    const QList<Record> records = readCsv(path);
    QVERIFY(records.size() > 1);
    QCOMPARE(records[1][1], u"'=HYPERLINK(\"http://evil.example\",\"click\")"_s);
    QCOMPARE(records[1][2], u"'@SUM(1+1)"_s);
    QCOMPARE(records[1][6], u"'-2+3"_s);
    QCOMPARE(records[2][1], items[1].item.title); // ordinary text is left alone
}

void tst_ChecklistExport::icsReadsBack()
{
    const QString path = m_dir->filePath(u"checklist.ics"_s);
    const QList<ResolvedChecklistItem> list = resolved();
    const Status written = ChecklistExport::writeIcs(path, kProject, timeline(), list);
    QVERIFY2(written.ok(), qPrintable(written.ok() ? QString() : written.error().toString()));

    const QByteArray bytes = readFile(path);
    QVERIFY(bytes.startsWith("BEGIN:VCALENDAR\r\n"));
    const IcalPtr calendar(icalparser_parse_string(bytes.constData()));
    QVERIFY(calendar);
    QCOMPARE(icalcomponent_isa(calendar.get()), ICAL_VCALENDAR_COMPONENT);
    QCOMPARE(icalcomponent_count_errors(calendar.get()), 0);
    const icalproperty *prodid
        = icalcomponent_get_first_property(calendar.get(), ICAL_PRODID_PROPERTY);
    QVERIFY(prodid);
    QVERIFY(QByteArray(icalproperty_get_prodid(prodid)).contains("Stagecoach"));

    const QList<Event> evs = events(calendar.get());
    // Every item with a due date (the removed stage's has none), and the go-live milestone stage.
    QCOMPARE(evs.size(), list.size() - 1 + 1);

    QSet<QString> uids;
    for (const Event &e : evs) {
        QVERIFY2(!e.uid.isEmpty() && e.uid.endsWith(u"@stagecoach"_s), qPrintable(e.uid));
        uids.insert(e.uid);
        QVERIFY(e.allDay);
        QCOMPARE(e.end, e.start.addDays(1));
    }
    QCOMPARE(uids.size(), evs.size());

    const Event *exported = findBySummaryStart(evs, u"✓ Export every audience"_s);
    QVERIFY(exported);
    QCOMPARE(exported->summary, u"✓ Export every audience (Backup)"_s);
    QCOMPARE(exported->start, QDate(2024, 5, 7));
    QCOMPARE(exported->status, ICAL_STATUS_CONFIRMED);
    QVERIFY(exported->description.contains(u"Owner: Ana"_s));
    QVERIFY(exported->description.contains(u"Status: Done"_s));

    const Event *tricky = findBySummaryStart(evs, kTrickyTitle);
    QVERIFY(tricky);
    QCOMPARE(tricky->summary, kTrickyTitle + u" (Backup)"_s);
    QCOMPARE(tricky->start, QDate(2024, 5, 6));
    QVERIFY(tricky->description.contains(kTrickyNotes));
    QVERIFY(tricky->description.contains(u"Owner:   Bo Østergård "_s));
    QCOMPARE(tricky->status, ICAL_STATUS_NONE);

    const Event *skipped = findBySummaryStart(evs, u"Spot-check 20 contacts"_s);
    QVERIFY(skipped);
    QCOMPARE(skipped->status, ICAL_STATUS_CANCELLED);
    QCOMPARE(skipped->start, QDate(2024, 5, 10));
    QVERIFY(skipped->description.contains(u"Stage: Wave 1, most engaged"_s));
    QVERIFY(skipped->description.contains(u"Owner: Émile"_s));

    // Milestones: the two go/no-go items and the go-live stage itself.
    QStringList milestones;
    for (const Event &e : evs) {
        if (e.categories.contains(ChecklistExport::milestoneCategory()))
            milestones.append(e.summary);
    }
    milestones.sort();
    QCOMPARE(milestones,
             (QStringList{u"Go-live"_s, u"Go/no-go meeting (Go-live)"_s,
                          u"Go/no-go: wave 1 within the objectives (Wave 1, most engaged)"_s}));
    const Event *stage = findBySummaryStart(evs, u"Go-live"_s);
    QVERIFY(stage);
    QCOMPARE(stage->start, QDate(2024, 5, 13));
    QVERIFY(stage->description.contains(u"Bounces < 2 %\nNo complaints"_s));
}

void tst_ChecklistExport::icsUidsStable()
{
    auto uidsOf = [](const QString &project) {
        const QByteArray bytes = ChecklistExport::ics(project, timeline(), resolved());
        const IcalPtr calendar(icalparser_parse_string(bytes.constData()));
        QStringList uids;
        if (!calendar)
            return uids;
        for (const Event &e : events(calendar.get()))
            uids.append(e.uid);
        return uids;
    };
    const QStringList first = uidsOf(kProject);
    QVERIFY(!first.isEmpty());
    QCOMPARE(uidsOf(kProject), first); // a re-import updates instead of doubling
    const QStringList other = uidsOf(u"Another project"_s);
    QCOMPARE(other.size(), first.size());
    for (const QString &uid : other)
        QVERIFY(!first.contains(uid));
}

void tst_ChecklistExport::icsUnsavedItemsGetDistinctUids()
{
    QList<ChecklistItem> unsaved = items();
    for (ChecklistItem &item : unsaved)
        item.id = 0;
    unsaved.append(unsaved.first()); // the same task twice in a stage
    const QByteArray bytes
        = ChecklistExport::ics(kProject, timeline(), Checklist::resolve(unsaved, timeline()));
    const IcalPtr calendar(icalparser_parse_string(bytes.constData()));
    QVERIFY(calendar);
    const QList<Event> evs = events(calendar.get());
    QCOMPARE(evs.size(), unsaved.size() - 1 + 1);
    QSet<QString> uids;
    for (const Event &e : evs)
        uids.insert(e.uid);
    QCOMPARE(uids.size(), evs.size());
}

void tst_ChecklistExport::markdownHeadingsAndTasks()
{
    const QString path = m_dir->filePath(u"checklist.md"_s);
    const Status written = ChecklistExport::writeMarkdown(path, kProject, timeline(), resolved());
    QVERIFY2(written.ok(), qPrintable(written.ok() ? QString() : written.error().toString()));
    const QString md = QString::fromUtf8(readFile(path));
    const QStringList lines = md.split(u'\n');

    QVERIFY(lines.first().startsWith(u"# Müller \\& Söhne, \"Spring\" migration"_s));
    QStringList headings;
    for (const QString &line : lines) {
        if (line.startsWith(u"## "_s))
            headings.append(line);
    }
    QCOMPARE(headings, (QStringList{u"## Backup"_s, u"## Wave 1, most engaged"_s, u"## Go-live"_s,
                                    u"## Tasks of stages no longer in the plan"_s}));
    QVERIFY(lines.contains(u"2024-05-06 to 2024-05-07 · Owner: Ana"_s));
    QVERIFY(lines.contains(u"Milestone on 2024-05-13 · Owner: Ana"_s));
    QVERIFY(lines.contains(u"- [x] Export every audience — Ana, due 2024-05-07"_s));
    QVERIFY(lines.contains(u"- [ ] Spot-check 20 contacts — Émile, due 2024-05-10, Skipped"_s));
    QVERIFY(lines.contains(
        u"- [ ] **Go/no-go meeting** — Ana, due 2024-05-13, In progress, go/no-go"_s));
    QVERIFY(lines.contains(u"- [ ] Import wave 9"_s));
    QVERIFY(md.contains(
        u"DKIM; résumé 日本語 ✉ — Bo Østergård, due 2024-05-06\\\n"_s)); // owner's blanks trimmed

    // Every task is a task-list item, in the order of the stages.
    qsizetype tasks = 0;
    for (const QString &line : lines)
        tasks += line.startsWith(u"- [ ] "_s) || line.startsWith(u"- [x] "_s);
    QCOMPARE(tasks, resolved().size());
    QVERIFY(md.indexOf(u"## Backup"_s) < md.indexOf(u"Export every audience"_s));
    QVERIFY(md.indexOf(u"Export every audience"_s) < md.indexOf(u"## Wave 1"_s));
}

void tst_ChecklistExport::markdownEscapesUserText()
{
    const QString md
        = QString::fromUtf8(ChecklistExport::markdown(kProject, timeline(), resolved()));
    // Inline markup reads as typed.
    QVERIFY2(md.contains(
                 u"- [ ] \\*Launch\\* \\[now\\](http://x.example) \\<b\\>1\\</b\\> \\_ok\\_ \\#tag "
                 u"\\`code\\` a\\|b \\~x\\~ \\&amp; \\$5 — Émile, due 2024-05-10\\\n"_s),
             qPrintable(md));
    // Line starts that would open a list, a heading or an underline are escaped; the notes stay
    // inside the item (indented, hard line breaks).
    QVERIFY2(md.contains(u"  Notes: - not a list\\\n  1\\. not numbered\\\n  \\# not a heading\\\n"
                         u"  \\+ plus\\\n  \\===\n"_s),
             qPrintable(md));
    // A multi-line note keeps its lines; blanks at line starts are dropped, not turned into code.
    QVERIFY(md.contains(
        u"  Notes: First line, with comma\\\n  Second \"quoted\" line\\\n  indented Ünïcode\n"_s));
    // No line of user text escapes its item: every line is a heading, a task, indented or plain.
    for (const QString &line : md.split(u'\n')) {
        if (line.startsWith(u'-') || line.startsWith(u'#'))
            QVERIFY2(line.startsWith(u"- ["_s) || line.startsWith(u"# "_s)
                         || line.startsWith(u"## "_s),
                     qPrintable(line));
    }
}

void tst_ChecklistExport::writeFailureLeavesNothing_data()
{
    QTest::addColumn<QString>("format");
    QTest::addColumn<QString>("failure");
    for (const QString &format : {u"csv"_s, u"md"_s, u"ics"_s}) {
        for (const QString &failure : {u"read-only folder"_s, u"missing folder"_s,
                                       u"folder is a file"_s, u"path is a folder"_s}) {
            QTest::newRow(qPrintable(format + u", "_s + failure)) << format << failure;
        }
    }
}

void tst_ChecklistExport::writeFailureLeavesNothing()
{
    QFETCH(QString, format);
    QFETCH(QString, failure);

    const QString name = u"checklist."_s + format;
    QString dir = m_dir->filePath(u"out"_s);
    QVERIFY(QDir().mkpath(dir));
    QString path = QDir(dir).filePath(name);
    if (failure == u"read-only folder"_s) {
        QVERIFY(QFile::setPermissions(dir, QFile::ReadOwner | QFile::ExeOwner));
        QFile probe(QDir(dir).filePath(u"probe"_s));
        if (probe.open(QIODevice::WriteOnly)) {
            probe.remove();
            QFile::setPermissions(dir, QFile::ReadOwner | QFile::WriteOwner | QFile::ExeOwner);
            QSKIP("the folder is writable despite its permissions (running as root)");
        }
    } else if (failure == u"missing folder"_s) {
        path = QDir(dir).filePath(u"missing/"_s + name);
    } else if (failure == u"folder is a file"_s) {
        QVERIFY(!TestSupport::writeFile(dir, u"notes.txt"_s, "x").isEmpty());
        path = QDir(dir).filePath(u"notes.txt/"_s + name);
    } else {
        QVERIFY(QDir(dir).mkdir(name));
    }
    const QStringList before
        = QDir(dir).entryList(QDir::AllEntries | QDir::NoDotAndDotDot | QDir::Hidden);

    Status status;
    if (format == u"csv"_s)
        status = ChecklistExport::writeCsv(path, resolved());
    else if (format == u"md"_s)
        status = ChecklistExport::writeMarkdown(path, kProject, timeline(), resolved());
    else
        status = ChecklistExport::writeIcs(path, kProject, timeline(), resolved());

    QFile::setPermissions(dir, QFile::ReadOwner | QFile::WriteOwner | QFile::ExeOwner);
    QVERIFY(!status.ok());
    QCOMPARE(status.error().where, path);
    QVERIFY(status.error().message.contains(u"cannot be saved"_s));
    QVERIFY(!status.error().hint.isEmpty());
    QVERIFY(status.error().toString().contains(name));
    QCOMPARE(QDir(dir).entryList(QDir::AllEntries | QDir::NoDotAndDotDot | QDir::Hidden), before);
    if (failure != u"path is a folder"_s)
        QVERIFY(!QFile::exists(path));
}

void tst_ChecklistExport::overwriteReplacesWholeFile()
{
    // A shorter export over a longer one leaves no tail of the old file.
    const QString path
        = TestSupport::writeFile(m_dir->path(), u"checklist.csv"_s, QByteArray(100000, 'x'));
    QVERIFY(!path.isEmpty());
    QVERIFY(ChecklistExport::writeCsv(path, resolved()).ok());
    QCOMPARE(readFile(path), ChecklistExport::csv(resolved()));
    QCOMPARE(QDir(m_dir->path()).entryList(QDir::Files | QDir::Hidden),
             QStringList{u"checklist.csv"_s});
}

QTEST_GUILESS_MAIN(tst_ChecklistExport)
#include "tst_checklistexport.moc"
