// The command-line surface, run as a user's script would: the real binary, no display.

#include "assessment/assessmentcontroller.h"
#include "assessment/assessmentrepository.h"
#include "csv/csvreader.h"
#include "plan/plancontroller.h"
#include "project/referencedata.h"
#include "store/projectstore.h"
#include "testsupport.h"

#include <libical/ical.h>

#include <QFile>
#include <QJsonArray>
#include <QPdfDocument>
#include <QJsonDocument>
#include <QJsonObject>
#include <QNetworkAccessManager>
#include <QNetworkReply>
#include <QProcess>
#include <QRegularExpression>
#include <QTemporaryDir>
#include <QTest>

using namespace Qt::StringLiterals;

namespace {

struct Run
{
    int exitCode = -1;
    QByteArray out;
    QByteArray err;
};

Run stagecoach(const QStringList &arguments, const QList<std::pair<QString, QString>> &extraEnv = {})
{
    QProcess p;
    QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
    for (const auto &[name, value] : extraEnv)
        env.insert(name, value);
    env.remove(u"DISPLAY"_s);
    env.remove(u"WAYLAND_DISPLAY"_s);
    env.remove(u"QT_QPA_PLATFORM"_s); // headless sub-commands must not need a display at all
    p.setProcessEnvironment(env);
    p.start(QStringLiteral(STAGECOACH_BINARY), arguments);
    if (!p.waitForFinished(60000))
        qFatal("stagecoach did not finish");
    return Run{p.exitStatus() == QProcess::NormalExit ? p.exitCode() : -1, p.readAllStandardOutput(), p.readAllStandardError()};
}

const QByteArray kSubscribed =
    "Email Address,First Name,Birthday,MEMBER_RATING,OPTIN_TIME,CONFIRM_TIME,LAST_CHANGED,TAGS\r\n"
    "ann@example.com,Ann,05/17,5,2024-01-02 10:00:00,2024-01-02 10:05:00,2026-10-01 10:00:00,\"\"\"VIP\"\"\"\r\n"
    "bob@example.com,Bob,12/01,3,2024-02-02 10:00:00,,2026-09-01 10:00:00,\"\"\"VIP\"\",\"\"Spring\"\"\"\r\n"
    "carl@example.com,Carl,,2,,,2023-01-01 10:00:00,\r\n";
const QByteArray kUnsubscribed =
    "Email Address,First Name,Birthday,MEMBER_RATING,OPTIN_TIME,CONFIRM_TIME,LAST_CHANGED,TAGS,UNSUB_TIME\r\n"
    " ANN@Example.com ,Ann again,,1,,,2026-10-02 10:00:00,,2026-10-02 10:00:00\r\n"
    "dora@example,Dora,,1,,,2026-10-03 10:00:00,,2026-10-03 10:00:00\r\n";
const QByteArray kCleaned =
    "Email Address,First Name,Birthday,MEMBER_RATING,OPTIN_TIME,CONFIRM_TIME,LAST_CHANGED,TAGS,CLEAN_TIME\r\n"
    "eve@example.com,\"Eve, \"\"E\"\"\",01/31,4,2024-03-03 10:00:00,2024-03-03 10:00:00,2026-10-04 10:00:00,\"\"\"VIP\"\"\",2026-10-05 10:00:00\r\n";

} // namespace

class tst_Cli : public QObject
{
    Q_OBJECT

private:
    QTemporaryDir m_dir;
    QString m_zip;
    int m_taskCount = 0;

    // A project with an assessment, objectives, a choice and a generated timeline, made through
    // the same controllers the wizard uses.
    QString makePlannedProject(const QString &name)
    {
        auto data = ReferenceData::load(QStringLiteral(STAGECOACH_SOURCE_DIR) + u"/resources"_s);
        if (!data)
            return {};
        const QString path = m_dir.filePath(name);
        auto store = ProjectStore::create(path, u"CLI rehearsal"_s);
        if (!store)
            return {};
        Inventory inv;
        inv.dialect = ExportDialect::Mailchimp;
        inv.byStatus[size_t(ContactStatus::Subscribed)] = 12000;
        inv.byStatus[size_t(ContactStatus::Unsubscribed)] = 900;
        inv.total = 12900;
        if (!AssessmentRepository(store.value()->database()).save({m_zip}, inv, QDateTime::currentDateTimeUtc()))
            return {};
        AssessmentController assessment(store.value().get(), &data->catalog);
        PlanController plan(store.value().get(), &data->catalog, &data->checklist, &assessment);
        for (const Objective &o : CommonGoals::find(u"deliverability")->kpis)
            plan.addObjective(o);
        if (!plan.choose(u"brevo"_s, u"Price per email"_s) || !plan.setOwner(u"Ana Lima"_s) || !plan.generateTimeline())
            return {};
        m_taskCount = plan.checklistModel()->rowCount();
        return path;
    }

private Q_SLOTS:
    void initTestCase()
    {
        QVERIFY(m_dir.isValid());
        m_zip = m_dir.filePath(u"audience_export.zip"_s);
        QVERIFY(TestSupport::writeZip(m_zip, {{u"subscribed_members_export_77.csv"_s, kSubscribed},
                                              {u"unsubscribed_members_export_77.csv"_s, kUnsubscribed},
                                              {u"cleaned_members_export_77.csv"_s, kCleaned}}));
    }

    void diffJsonOutAndExitCodes()
    {
        const QString brevo = TestSupport::writeFile(m_dir.path(), u"brevo_export.csv"_s,
                                                     "EMAIL;FIRSTNAME;EMAIL_BLACKLISTED\n"
                                                     "zoe@example.com;Zoe;false\n"
                                                     "eve@example.com;\"Eve, \"\"E\"\"\";false\n"
                                                     "bob@example.com;Robert;false\n"
                                                     "Ann@example.com;Ann;false\n"
                                                     "dora@example;Dora;true\n");
        const QString out = m_dir.filePath(u"differences.csv"_s);
        const Run run = stagecoach({u"diff"_s, m_zip, brevo, u"--json"_s, u"--out"_s, out});
        QVERIFY2(run.exitCode == 0, run.err.constData());
        QVERIFY(run.err.isEmpty());
        QJsonParseError error;
        const QJsonDocument doc = QJsonDocument::fromJson(run.out, &error);
        QVERIFY2(doc.isObject(), qPrintable(error.errorString()));
        QVERIFY(run.out.endsWith("}\n"));
        QCOMPARE(run.out.count('\n'), 1);
        const QJsonObject o = doc.object();
        QCOMPARE(o.value(u"sourceRecords"_s).toInt(), 6);
        QCOMPARE(o.value(u"targetRecords"_s).toInt(), 5);
        QCOMPARE(o.value(u"missing"_s).toInt(), 1);
        QCOMPARE(o.value(u"extra"_s).toInt(), 1);
        QCOMPARE(o.value(u"changed"_s).toInt(), 2);
        QCOMPARE(o.value(u"identical"_s).toInt(), 2);
        QCOMPARE(o.value(u"consentViolations"_s).toInt(), 1);
        QCOMPARE(o.value(u"sourceDuplicates"_s).toInt(), 1);
        QCOMPARE(o.value(u"targetDuplicates"_s).toInt(), 0);
        QCOMPARE(o.value(u"changedByField"_s).toObject(),
                 (QJsonObject{{u"First Name"_s, 1}, {u"status"_s, 1}}));
        QCOMPARE(o.value(u"sourceByStatus"_s).toObject(),
                 (QJsonObject{{u"subscribed"_s, 3}, {u"unsubscribed"_s, 2}, {u"cleaned"_s, 1}}));
        QCOMPARE(o.value(u"targetByStatus"_s).toObject(), (QJsonObject{{u"subscribed"_s, 4}, {u"unsubscribed"_s, 1}}));

        QFile csv(out);
        QVERIFY(csv.open(QIODevice::ReadOnly));
        const QByteArray bytes = csv.readAll();
        QVERIFY(bytes.startsWith("\xEF\xBB\xBF"));
        QCOMPARE(QString::fromUtf8(bytes.mid(3)),
                 u"email,kind,field,source value,target value\r\n"
                 "eve@example.com,consent-violation,status,cleaned,subscribed\r\n"
                 "carl@example.com,missing,,,\r\n"
                 "zoe@example.com,extra,,,\r\n"
                 "bob@example.com,changed,First Name,Bob,Robert\r\n"
                 "ANN@Example.com,duplicate-source,,,\r\n"_s);

        // Text: the counts, one per line.
        const Run text = stagecoach({u"diff"_s, m_zip, brevo});
        QCOMPARE(text.exitCode, 0);
        QVERIFY2(text.out.contains("Consent violations: 1\n"), text.out.constData());
        QVERIFY(text.out.contains("Missing on target: 1\n"));
    }

    void diffBadInputSaysFileAndLine()
    {
        const QString brevo = TestSupport::writeFile(m_dir.path(), u"brevo_ok.csv"_s,
                                                     "EMAIL;FIRSTNAME;LASTNAME\na@example.com;A;B\n");
        const QString broken = TestSupport::writeFile(m_dir.path(), u"broken.csv"_s,
                                                      "EMAIL;FIRSTNAME;LASTNAME\na@example.com;A;B\n"
                                                      "b@example.com;\"B;C\n");
        Run r = stagecoach({u"diff"_s, brevo, broken, u"--json"_s});
        QCOMPARE(r.exitCode, 1);
        QVERIFY(r.out.isEmpty());
        QVERIFY2(r.err.contains(broken.toUtf8() + ":3: "), r.err.constData());

        const QString generic = TestSupport::writeFile(m_dir.path(), u"sheet.csv"_s,
                                                       "Mail,Given name\na@example.com,A\n");
        r = stagecoach({u"diff"_s, generic, brevo, u"--json"_s});
        QCOMPARE(r.exitCode, 1);
        QVERIFY(r.out.isEmpty());
        QVERIFY2(r.err.contains(generic.toUtf8() + ":1: "), r.err.constData());
        QVERIFY2(r.err.contains("--map"), r.err.constData());

        // With a mapping the same files compare.
        const QString map = TestSupport::writeFile(m_dir.path(), u"map.csv"_s,
                                                   "source,target,type\nMail,EMAIL,email\nGiven name,FIRSTNAME,text\n");
        r = stagecoach({u"diff"_s, generic, brevo, u"--map"_s, map, u"--json"_s});
        QVERIFY2(r.exitCode == 0, r.err.constData());
        QCOMPARE(QJsonDocument::fromJson(r.out).object().value(u"changedByField"_s).toObject(),
                 (QJsonObject{{u"Given name"_s, 0}, {u"status"_s, 0}})); // no status on either side

        const QString badMap = TestSupport::writeFile(m_dir.path(), u"badmap.csv"_s,
                                                      "source,target,type\nGiven name,FIRSTNAME,colour\n");
        r = stagecoach({u"diff"_s, generic, brevo, u"--map"_s, badMap});
        QCOMPARE(r.exitCode, 1);
        QVERIFY2(r.err.contains(badMap.toUtf8() + ":2: "), r.err.constData());

        r = stagecoach({u"diff"_s, m_dir.filePath(u"absent.csv"_s), brevo});
        QCOMPARE(r.exitCode, 1);
        QVERIFY2(r.err.contains("absent.csv"), r.err.constData());
        QCOMPARE(stagecoach({u"diff"_s, brevo}).exitCode, 2);
        QCOMPARE(stagecoach({u"diff"_s, brevo, brevo, u"--bogus"_s}).exitCode, 2);
        const Run help = stagecoach({u"diff"_s, u"--help"_s});
        QCOMPARE(help.exitCode, 0);
        QVERIFY(help.out.contains("source,target,type"));
    }

    void assessJsonIsOneObjectWithTheRightFigures()
    {
        const Run run = stagecoach({u"assess"_s, m_zip, u"--json"_s});
        QVERIFY2(run.exitCode == 0, run.err.constData());
        QJsonParseError error;
        const QJsonDocument doc = QJsonDocument::fromJson(run.out, &error);
        QVERIFY2(error.error == QJsonParseError::NoError, qPrintable(error.errorString()));
        QVERIFY(doc.isObject());
        const QJsonObject o = doc.object();

        const QJsonObject contacts = o.value(u"contacts").toObject();
        QCOMPARE(contacts.value(u"total").toInteger(), 6);
        const QJsonObject byStatus = contacts.value(u"byStatus").toObject();
        QCOMPARE(byStatus.value(u"subscribed").toInteger(), 3);
        QCOMPARE(byStatus.value(u"unsubscribed").toInteger(), 2);
        QCOMPARE(byStatus.value(u"cleaned").toInteger(), 1);
        QCOMPARE(byStatus.value(u"pending").toInteger(), 0);
        QVERIFY(byStatus.contains(u"pending"));
        QCOMPARE(o.value(u"duplicates").toInteger(), 1);   // " ANN@Example.com " repeats ann@example.com
        QCOMPARE(o.value(u"invalidEmails").toInteger(), 1); // dora@example

        // Every column but the address, in order of first appearance, with its type and fill.
        const QJsonArray fields = o.value(u"fields").toArray();
        QStringList names;
        for (const QJsonValue &f : fields)
            names.append(f.toObject().value(u"name").toString());
        QCOMPARE(names, (QStringList{u"First Name"_s, u"Birthday"_s, u"MEMBER_RATING"_s, u"OPTIN_TIME"_s, u"CONFIRM_TIME"_s,
                                     u"LAST_CHANGED"_s, u"TAGS"_s, u"CLEAN_TIME"_s, u"UNSUB_TIME"_s}));
        const auto field = [&](const QString &name) {
            for (const QJsonValue &f : fields) {
                if (f.toObject().value(u"name").toString() == name)
                    return f.toObject();
            }
            return QJsonObject();
        };
        QCOMPARE(field(u"Birthday"_s).value(u"type").toString(), u"birthday"_s);
        QCOMPARE(field(u"Birthday"_s).value(u"filled").toInteger(), 3);
        QCOMPARE(field(u"OPTIN_TIME"_s).value(u"type").toString(), u"date"_s);
        QCOMPARE(field(u"OPTIN_TIME"_s).value(u"filled").toInteger(), 3);
        QCOMPARE(field(u"CONFIRM_TIME"_s).value(u"filled").toInteger(), 2);
        QCOMPARE(field(u"First Name"_s).value(u"type").toString(), u"text"_s);
        QCOMPARE(field(u"First Name"_s).value(u"filled").toInteger(), 6);
        QCOMPARE(field(u"UNSUB_TIME"_s).value(u"filled").toInteger(), 2);

        const QJsonArray tags = o.value(u"tags").toArray();
        QCOMPARE(tags.size(), 2);
        QCOMPARE(tags[0].toObject().value(u"name").toString(), u"VIP"_s);
        QCOMPARE(tags[0].toObject().value(u"count").toInteger(), 3);
        QCOMPARE(tags[1].toObject().value(u"name").toString(), u"Spring"_s);
        QCOMPARE(tags[1].toObject().value(u"count").toInteger(), 1);

        // Consent: 2 of the 3 subscribers have an opt-in or confirmation time.
        const QJsonObject consent = o.value(u"consent").toObject();
        QCOMPARE(consent.value(u"subscribed").toInteger(), 3);
        QCOMPARE(consent.value(u"subscribedWithEvidence").toInteger(), 2);
        QVERIFY(o.value(u"risks").toArray().size() > 0);
        QVERIFY(run.err.isEmpty());
    }

    void assessTextAndTarget()
    {
        const Run run = stagecoach({u"assess"_s, m_zip, u"--target"_s, u"brevo"_s});
        QCOMPARE(run.exitCode, 0);
        QVERIFY(run.out.contains("Contacts: 6"));
        QVERIFY(run.out.contains("Tags have no direct equivalent on Brevo"));
    }

    void listInvalidAddressesAsCsv()
    {
        const Run run = stagecoach({u"assess"_s, m_zip, u"--list"_s, u"invalid"_s});
        QCOMPARE(run.exitCode, 0);
        const QList<QByteArray> lines = run.out.trimmed().split('\n');
        QCOMPARE(lines.size(), 2);
        QCOMPARE(lines[0], QByteArray("address,file,line,detail"));
        QVERIFY2(lines[1].startsWith("dora@example,audience_export.zip \xE2\x80\xBA unsubscribed_members_export_77.csv,3,"),
                 lines[1].constData());
    }

    void errorsAreOneLineWithFileAndLine_data()
    {
        QTest::addColumn<QByteArray>("content");
        QTest::addColumn<QString>("expected");
        QTest::newRow("ragged") << QByteArray("Email Address,Name\nann@example.com,Ann\nbob@example.com,Bob,extra\n")
                                << u"bad.csv line 3: this row has 3 fields but the header has 2"_s;
        QTest::newRow("unterminated quote") << QByteArray("Email Address,Name\nann@example.com,\"Ann\nbob@example.com,Bob\n")
                                            << u"bad.csv line 2: the file ends inside a quoted field"_s;
        QTest::newRow("binary") << QByteArray("PNG\0\0\0\x0d" "IHDR", 11) << u"bad.csv line 1: the file contains binary data"_s;
        QTest::newRow("no email column") << QByteArray("Name,City\nAnn,Lyon\n") << u"bad.csv line 1: no email column"_s;
    }

    void errorsAreOneLineWithFileAndLine()
    {
        QFETCH(QByteArray, content);
        QFETCH(QString, expected);
        const QString file = TestSupport::writeFile(m_dir.path(), u"bad.csv"_s, content);
        const Run run = stagecoach({u"assess"_s, file, u"--json"_s});
        QCOMPARE(run.exitCode, 1);
        QVERIFY(run.out.isEmpty());
        const QString err = QString::fromUtf8(run.err);
        QCOMPARE(err.count(u'\n'), 1);
        QVERIFY2(err.contains(expected), qPrintable(err));
    }

    void exportWritesEveryFormat()
    {
        const QString project = makePlannedProject(u"export.stagecoach"_s);
        QVERIFY(!project.isEmpty());
        const QString pdf = m_dir.filePath(u"plan.pdf"_s), csv = m_dir.filePath(u"tasks.csv"_s),
                      md = m_dir.filePath(u"tasks.md"_s), ics = m_dir.filePath(u"tasks.ics"_s);
        const Run run = stagecoach({u"export"_s, project, u"--plan-pdf"_s, pdf, u"--checklist-csv"_s, csv, u"--checklist-md"_s, md,
                                    u"--checklist-ics"_s, ics});
        QVERIFY2(run.exitCode == 0, run.err.constData());
        QCOMPARE(run.out.count('\n'), 4); // one line per file written
        QVERIFY(run.err.isEmpty());

        // The PDF: every section, with the project's figures.
        QPdfDocument doc;
        QCOMPARE(doc.load(pdf), QPdfDocument::Error::None);
        QVERIFY(doc.pageCount() >= 4);
        QString text;
        for (int page = 0; page < doc.pageCount(); ++page)
            text += doc.getAllText(page).text() + u'\n';
        for (const QString &expected : {u"CLI rehearsal"_s, u"Brevo"_s, u"Objectives"_s, u"Spam complaint rate"_s, u"Assessment"_s,
                                        u"Platform comparison"_s, u"Timeline"_s, u"Wave 0: suppressions"_s, u"Resource allocation"_s, u"Risks"_s,
                                        u"Checklist"_s, u"Sign-off"_s, u"Ana Lima"_s})
            QVERIFY2(text.contains(expected), qPrintable(expected));

        // The CSV reads back with the project's own reader: a header and one record per task.
        QFile csvFile(csv);
        QVERIFY(csvFile.open(QIODevice::ReadOnly));
        CsvReader reader(csv);
        QList<QStringList> records;
        QVERIFY(reader.read(csvFile, [&](qint64, std::span<const QByteArrayView> fields) {
            QStringList r;
            for (QByteArrayView f : fields)
                r.append(QString::fromUtf8(f));
            records.append(r);
            return true;
        }));
        QCOMPARE(records.first().mid(0, 5), (QStringList{u"Stage"_s, u"Task"_s, u"Owner"_s, u"Due"_s, u"Status"_s}));
        QCOMPARE(records.size() - 1, m_taskCount);
        QCOMPARE(records.at(1).at(0), u"Backup"_s);

        // The calendar parses, with an event per dated task and per milestone stage.
        QFile icsFile(ics);
        QVERIFY(icsFile.open(QIODevice::ReadOnly));
        const QByteArray icsBytes = icsFile.readAll();
        icalcomponent *calendar = icalparser_parse_string(icsBytes.constData());
        QVERIFY(calendar);
        int events = 0;
        for (icalcomponent *e = icalcomponent_get_first_component(calendar, ICAL_VEVENT_COMPONENT); e;
             e = icalcomponent_get_next_component(calendar, ICAL_VEVENT_COMPONENT))
            ++events;
        icalcomponent_free(calendar);
        QVERIFY2(events > m_taskCount, qPrintable(QString::number(events)));

        QFile mdFile(md);
        QVERIFY(mdFile.open(QIODevice::ReadOnly));
        const QByteArray markdown = mdFile.readAll();
        QVERIFY(markdown.contains("# "));
        QVERIFY(markdown.contains("- [ ] "));
    }

    void exportFailuresSayWhyAndLeaveNothing()
    {
        const QString project = makePlannedProject(u"failures.stagecoach"_s);
        // Nothing asked for: usage.
        Run run = stagecoach({u"export"_s, project});
        QCOMPARE(run.exitCode, 2);
        QVERIFY(run.err.contains("--plan-pdf"));
        // A project that is not there.
        run = stagecoach({u"export"_s, m_dir.filePath(u"nope.stagecoach"_s), u"--plan-pdf"_s, m_dir.filePath(u"x.pdf"_s)});
        QCOMPARE(run.exitCode, 1);
        QCOMPARE(run.err.count('\n'), 1);
        QVERIFY(run.err.contains("nope.stagecoach"));
        QVERIFY(!QFile::exists(m_dir.filePath(u"x.pdf"_s)));
        // A folder that is a file: the PDF cannot be written, and no half file is left.
        const QString blocked = TestSupport::writeFile(m_dir.path(), u"blocked"_s, "a file");
        run = stagecoach({u"export"_s, project, u"--plan-pdf"_s, blocked + u"/plan.pdf"_s});
        QCOMPARE(run.exitCode, 1);
        QCOMPARE(run.err.count('\n'), 1);
        QVERIFY2(run.err.contains("blocked/plan.pdf"), run.err.constData());
        // The project is open elsewhere (the app holds its lock).
        {
            auto open = ProjectStore::open(project);
            QVERIFY(open.ok());
            run = stagecoach({u"export"_s, project, u"--checklist-csv"_s, m_dir.filePath(u"locked.csv"_s)});
            QCOMPARE(run.exitCode, 1);
            QVERIFY(run.err.contains("another Stagecoach window"));
            QVERIFY(!QFile::exists(m_dir.filePath(u"locked.csv"_s)));
        }
    }

    void runRehearsesTheDemoMigration_data()
    {
        QTest::addColumn<QString>("target");
        QTest::newRow("brevo") << u"brevo"_s;
        QTest::newRow("klaviyo") << u"klaviyo"_s;
    }

    void runRehearsesTheDemoMigration()
    {
        QFETCH(QString, target);
        const Run r = stagecoach({u"run"_s, u"--demo"_s, u"--target"_s, target});
        QVERIFY2(r.exitCode == 0, r.err.constData());
        const QString out = QString::fromUtf8(r.out);
        const qsizetype summary = out.indexOf(u"\nSummary\n"_s);
        QVERIFY2(summary > 0, qPrintable(out));
        const QStringList lines = out.mid(summary).split(u'\n', Qt::SkipEmptyParts);
        // A line per stage, then the two promises.
        QVERIFY2(lines.value(1).contains(u"Backup: 2,500 contacts backed up, verified"_s), qPrintable(lines.value(1)));
        QVERIFY2(lines.value(2).contains(u"Initial setup:"_s), qPrintable(lines.value(2)));
        QVERIFY2(lines.value(3).contains(u"Wave 0: suppressions:"_s) && lines.value(3).contains(u"0 consent violations"_s),
                 qPrintable(lines.value(3)));
        qint64 written = 0;
        static const QRegularExpression writtenOf(u"(\\d[\\d,]*) of (\\d[\\d,]*) written, 0 rejected"_s);
        for (const QString &line : lines) {
            const QRegularExpressionMatch m = writtenOf.match(line);
            if (m.hasMatch()) {
                QCOMPARE(m.captured(1), m.captured(2));
                written += QString(m.captured(1)).remove(u',').toLongLong();
            }
        }
        QCOMPARE(written, qint64(2500)); // the demo audience has no archived member to leave out
        QVERIFY(out.contains(u"Suppressions first: yes"_s));
        QVERIFY(out.contains(u"Consent violations: 0"_s));
        QVERIFY2(r.err.isEmpty(), r.err.constData());
    }

    void runRefusesBadArguments()
    {
        QCOMPARE(stagecoach({u"run"_s}).exitCode, 2);
        QCOMPARE(stagecoach({u"run"_s, u"--demo"_s, u"--target"_s, u"mailchimp"_s}).exitCode, 2);
        QCOMPARE(stagecoach({u"run"_s, m_dir.filePath(u"x.stagecoach"_s), u"--stage"_s, u"wave"_s}).exitCode, 2);
        QCOMPARE(stagecoach({u"run"_s, m_dir.filePath(u"x.stagecoach"_s), u"--stage"_s, u"launch"_s}).exitCode, 2);
        const Run missing = stagecoach({u"run"_s, m_dir.filePath(u"missing.stagecoach"_s)});
        QCOMPARE(missing.exitCode, 1);
        QVERIFY2(missing.err.startsWith("stagecoach: "), missing.err.constData());
        // A planned project whose assessment has no fields to map: refused with the step to visit.
        // (The gates themselves - no wave without a verified backup - are in tst_transferengine.)
        const QString planned = makePlannedProject(u"norun.stagecoach"_s);
        QVERIFY(!planned.isEmpty());
        const Run refused = stagecoach({u"run"_s, planned, u"--stage"_s, u"wave"_s, u"--wave"_s, u"1"_s});
        QCOMPARE(refused.exitCode, 1);
        QVERIFY2(refused.err.contains("Field mapping"), refused.err.constData());
        QCOMPARE(refused.err.count('\n'), 1); // one line
    }

    void sandboxServesTheDemoAudienceUntilStopped()
    {
        QProcess sandbox;
        QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
        env.remove(u"DISPLAY"_s);
        sandbox.setProcessEnvironment(env);
        sandbox.start(QStringLiteral(STAGECOACH_BINARY), {u"sandbox"_s, u"--seed"_s, u"demo"_s, u"--contacts"_s, u"37"_s});
        QVERIFY(sandbox.waitForStarted());
        QVERIFY(QTest::qWaitFor([&] { return sandbox.canReadLine() || sandbox.state() != QProcess::Running; }, 20000));
        const QStringList words = QString::fromUtf8(sandbox.readLine()).split(u' ', Qt::SkipEmptyParts);
        // "mailchimp <base URL> key <key> audience <id>"
        QCOMPARE(words.value(0), u"mailchimp"_s);
        QCOMPARE(words.value(2), u"key"_s);
        QVERIFY2(words.value(1).startsWith(u"http://127.0.0.1:"_s), qPrintable(words.value(1)));
        QVERIFY(words.value(3).endsWith(u"-us21"_s));
        const QString base = words.value(1);
        const QString key = words.value(3);
        const QString audience = words.value(5).trimmed();

        QNetworkAccessManager network;
        auto get = [&](const QString &path, const QString &apiKey) {
            QNetworkRequest request(QUrl(base + path));
            request.setRawHeader("Authorization", "Basic " + (u"stagecoach:"_s + apiKey).toUtf8().toBase64());
            QNetworkReply *reply = network.get(request);
            if (!QTest::qWaitFor([&] { return reply->isFinished(); }, 10000))
                reply->abort(); // then the status is 0 and the comparison below says so
            reply->deleteLater();
            return std::pair{reply->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt(), reply->readAll()};
        };
        const auto [status, body] = get(u"/lists/"_s + audience + u"/members?count=1000"_s, key);
        QCOMPARE(status, 200);
        const QJsonObject page = QJsonDocument::fromJson(body).object();
        QCOMPARE(page.value(u"total_items").toInt(), 37);
        QCOMPARE(page.value(u"members").toArray().size(), 37);
        QCOMPARE(get(u"/ping"_s, u"0000-us21"_s).first, 401); // a wrong key is refused

        // The empty Brevo account beside it, with its own key.
        QVERIFY(QTest::qWaitFor([&] { return sandbox.canReadLine(); }, 10000));
        const QStringList brevo = QString::fromUtf8(sandbox.readLine()).split(u' ', Qt::SkipEmptyParts);
        QCOMPARE(brevo.value(0), u"brevo"_s);
        QVERIFY(brevo.value(3).trimmed().startsWith(u"xkeysib-"_s));
        QNetworkRequest contacts(QUrl(brevo.value(1) + u"/contacts"_s));
        contacts.setRawHeader("api-key", brevo.value(3).trimmed().toUtf8());
        QNetworkReply *reply = network.get(contacts);
        QVERIFY(QTest::qWaitFor([&] { return reply->isFinished(); }, 10000));
        QCOMPARE(reply->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt(), 200);
        QCOMPARE(QJsonDocument::fromJson(reply->readAll()).object().value(u"count").toInt(), 0);
        reply->deleteLater();

        // And Klaviyo's, which wants its key scheme and a revision.
        QVERIFY(QTest::qWaitFor([&] { return sandbox.canReadLine(); }, 10000));
        const QStringList klaviyo = QString::fromUtf8(sandbox.readLine()).split(u' ', Qt::SkipEmptyParts);
        QCOMPARE(klaviyo.value(0), u"klaviyo"_s);
        QNetworkRequest profiles(QUrl(klaviyo.value(1) + u"/profiles"_s));
        profiles.setRawHeader("Authorization", "Klaviyo-API-Key " + klaviyo.value(3).trimmed().toUtf8());
        profiles.setRawHeader("revision", "2026-07-15");
        QNetworkReply *profilesReply = network.get(profiles);
        QVERIFY(QTest::qWaitFor([&] { return profilesReply->isFinished(); }, 10000));
        QCOMPARE(profilesReply->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt(), 200);
        QCOMPARE(QJsonDocument::fromJson(profilesReply->readAll()).object().value(u"data").toArray().size(), 0);
        profilesReply->deleteLater();

        sandbox.terminate(); // SIGTERM: it stops cleanly
        QVERIFY(sandbox.waitForFinished(10000));
        QCOMPARE(sandbox.exitStatus(), QProcess::NormalExit);
        QCOMPARE(sandbox.exitCode(), 0);

        Run bad = stagecoach({u"sandbox"_s, u"--faults"_s, u"2"_s});
        QCOMPARE(bad.exitCode, 2);
        QVERIFY(bad.err.contains("--faults"));
        QCOMPARE(stagecoach({u"sandbox"_s, u"--faults"_s, u"nan"_s}).exitCode, 2);
    }

    // The executable allocates through jemalloc (app/CMakeLists.txt): the dynamic linker binds
    // every library's malloc and free to it.
    void allocatesThroughJemalloc()
    {
        // A headless sub-command (here a usage error) loads what every run loads.
        const Run run = stagecoach({u"assess"_s}, {{u"LD_DEBUG"_s, u"bindings"_s}});
        QCOMPARE(run.exitCode, 2);
        for (const char *symbol : {"malloc", "free"}) {
            const QByteArray binding = QByteArray("symbol `") + symbol + "'";
            qsizetype bound = 0, toJemalloc = 0;
            for (const QByteArray &line : run.err.split('\n')) {
                if (!line.contains(binding))
                    continue;
                ++bound;
                if (line.contains("/libjemalloc.so"))
                    ++toJemalloc;
            }
            QVERIFY2(bound > 0, "the dynamic linker reported no binding (LD_DEBUG ignored?)");
            QVERIFY2(toJemalloc == bound,
                     qPrintable(u"%1 of %2 bindings of %3 go elsewhere"_s.arg(bound - toJemalloc)
                                    .arg(bound).arg(QString::fromLatin1(symbol))));
        }
    }

    void usageErrors()
    {
        Run run = stagecoach({u"assess"_s});
        QCOMPARE(run.exitCode, 2);
        QVERIFY(run.err.contains("at least one export file"));
        run = stagecoach({u"assess"_s, m_zip, u"--target"_s, u"nowhere"_s});
        QCOMPARE(run.exitCode, 2);
        run = stagecoach({u"assess"_s, m_dir.filePath(u"missing.csv"_s)});
        QCOMPARE(run.exitCode, 1);
        QVERIFY2(run.err.contains("missing.csv: the file does not exist"), run.err.constData());
    }
};

QTEST_MAIN(tst_Cli)
#include "tst_cli.moc"
