// The integrity diff end to end: a generated Mailchimp export (zip with the subscribed and the
// unsubscribed file) against a Brevo-style export, every count exact; malformed input; and a
// backup folder against the Brevo sandbox read back over HTTP.

#include "connectors/connectorfactory.h"
#include "connectors/fieldmapping.h"
#include "connectors/transport/networkthread.h"
#include "integrity/connectorrecordsource.h"
#include "integrity/diffengine.h"
#include "integrity/exportrecordsource.h"
#include "sandbox/brevosandbox.h"
#include "sandbox/klaviyosandbox.h"
#include "sandbox/mailchimpsandbox.h"
#include "sandbox/sandboxhost.h"
#include "transfer/backupformat.h"
#include "transfer/backupmanifest.h"
#include "transfer/contacttranslator.h"
#include "testsupport.h"

#include <QDir>
#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QTemporaryDir>
#include <QTest>

using namespace Qt::StringLiterals;

namespace {

// Mailchimp's subscribed file: s10 twice, quoted fields with commas and newlines.
const QByteArray kSubscribed =
    "Email Address,First Name,Last Name,Phone Number,Score,MEMBER_RATING,OPTIN_TIME,TAGS\r\n"
    "S01@Example.com,Ann,Able,+49 30 100001,1,2,2024-01-02 10:00:00,\"\"\"VIP\"\"\"\r\n"
    "s02@example.com,\"Bea, Marie\",\"Brown\nsecond line\",,2,2,,\r\n"
    "s03@example.com,Cid,Cole,,3,2,,\r\n"
    "s04@example.com,Dee,Dunn,,4,2,,\r\n"
    "s05@example.com,Tom,Ford,,5,2,,\r\n"
    "s06@example.com,Gus,Gray,+49 30 123456,6,2,,\r\n"
    "s07@example.com,Hal,Hunt,,1.50,2,,\r\n"
    "s08@example.com,Ivy,\"Smith, Jr.\nthe second\",,8,2,,\r\n"
    "s09@example.com,\"Ida   Maria\",Ives,,9,2,,\r\n"
    "s10@example.com,Jo,Jones,,10,2,,\r\n"
    "s10@example.com,Joanna,Jones,,10,2,,\r\n";
const QByteArray kUnsubscribed =
    "Email Address,First Name,Last Name,Phone Number,Score,MEMBER_RATING,OPTIN_TIME,TAGS,UNSUB_TIME\r\n"
    "u1@example.com,Uma,Ure,,1,1,,,2024-02-01 09:00:00\r\n"
    "u2@example.com,Uli,Urn,,2,1,,,2024-02-01 09:00:00\r\n";
// Brevo's export: semicolons, upper-case attributes, rows in another order, s01 in lower case,
// s07 twice, two contacts the source never had.
const QByteArray kBrevo =
    "EMAIL;FIRSTNAME;LASTNAME;SMS;SCORE;EMAIL_BLACKLISTED\n"
    "x1@example.com;Xa;X;;1;false\n"
    "s09@example.com;Ida Maria;Ives;;9;false\n"
    "u1@example.com;Uma;Ure;;1;false\n"
    "s08@example.com;Ivy;Smith;;9;false\n"
    "s07@example.com;Hal;Hunt;;1.5;false\n"
    "s06@example.com;Gus;Gray;+4930123456;6;false\n"
    "s05@example.com;Thomas;Ford;;5;false\n"
    "s02@example.com;\"Bea, Marie\";\"Brown\nsecond line\";;2;false\n"
    "s01@example.com;Ann;Able;+4930100001;1;false\n"
    "u2@example.com;Uli;Urn;;2;true\n"
    "s10@example.com;Jo;Jones;;10;false\n"
    "s07@example.com;Hal;Hunt;;1.5;false\n"
    "x2@example.com;Xb;X;;2;false\n";

qint64 byField(const DiffSummary &s, const QString &name)
{
    for (qsizetype i = 0; i < s.fields.size(); ++i) {
        if (s.fields[i].name == name)
            return s.changedByField.value(i);
    }
    return -1;
}

RetrySettings quickRetries()
{
    RetrySettings s;
    s.maxAttempts = 8;
    s.baseDelayMs = 5;
    s.maxDelayMs = 40;
    s.maxServerDelayMs = 2000;
    return s;
}

template<typename T>
Result<T> wait(QFuture<Result<T>> future)
{
    future.waitForFinished(); // the sandbox serves from its own thread
    if (future.resultCount() == 0)
        return Error(u"no answer"_s);
    return future.result();
}

} // namespace

class tst_DiffEngine : public QObject
{
    Q_OBJECT

private:
    QTemporaryDir m_dir;
    QString m_zip;
    QString m_brevo;

    Result<DiffResult> compare(const QString &source, const QString &target)
    {
        DiffInput input;
        input.source = DiffEngine::sideFor(source, nullptr, true);
        input.target = DiffEngine::sideFor(target, nullptr, false);
        return DiffEngine::compare(std::move(input));
    }

private Q_SLOTS:
    void initTestCase()
    {
        QVERIFY(m_dir.isValid());
        m_zip = m_dir.filePath(u"audience_export.zip"_s);
        QVERIFY(TestSupport::writeZip(m_zip, {{u"subscribed_members_export_1.csv"_s, kSubscribed},
                                              {u"unsubscribed_members_export_1.csv"_s, kUnsubscribed}}));
        m_brevo = TestSupport::writeFile(m_dir.path(), u"brevo_contacts.csv"_s, kBrevo);
    }

    void mailchimpExportAgainstBrevoExport()
    {
        Result<DiffResult> r = compare(m_zip, m_brevo);
        QVERIFY2(r.ok(), qPrintable(r.ok() ? QString() : r.error().toString()));
        const DiffSummary &s = r->summary;
        QCOMPARE(s.sourceRecords, 13);
        QCOMPARE(s.targetRecords, 13);
        QCOMPARE(s.missing, 2);           // s03, s04
        QCOMPARE(s.extra, 2);             // x1, x2
        QCOMPARE(s.changed, 3);           // s05, s08, u1
        QCOMPARE(s.identical, 7);         // s01 (case only), s02, s06 (phone form), s07 (1.50), s09, s10, u2
        QCOMPARE(s.consentViolations, 1); // u1: unsubscribed, not blocklisted on the target
        QCOMPARE(s.sourceDuplicates, 1);  // s10's second row
        QCOMPARE(s.targetDuplicates, 1);  // s07's second row
        QCOMPARE(s.sourceRecords, s.identical + s.changed + s.missing + s.sourceDuplicates);
        QCOMPARE(s.targetRecords, s.identical + s.changed + s.extra + s.targetDuplicates);

        QCOMPARE(s.fields.size(), 4);
        QCOMPARE(s.fields[0].targetName, u"FIRSTNAME"_s);
        QCOMPARE(s.fields[2].targetName, u"SMS"_s);
        QCOMPARE(s.fields[2].type, CompareType::Phone);
        QCOMPARE(s.fields[3].targetName, u"SCORE"_s);
        QCOMPARE(byField(s, u"First Name"_s), 1);
        QCOMPARE(byField(s, u"Last Name"_s), 1);
        QCOMPARE(byField(s, u"Phone Number"_s), 0);
        QCOMPARE(byField(s, u"Score"_s), 1);
        QCOMPARE(s.statusChanged, 1);
        QCOMPARE(s.sourceByStatus[size_t(ContactStatus::Subscribed)], 11);
        QCOMPARE(s.sourceByStatus[size_t(ContactStatus::Unsubscribed)], 2);
        QCOMPARE(s.targetByStatus[size_t(ContactStatus::Subscribed)], 12);
        QCOMPARE(s.targetByStatus[size_t(ContactStatus::Unsubscribed)], 1);

        // Rows: the violation first, then missing, extra, changed, duplicates, each in file order.
        QStringList listed;
        for (qsizetype i = 0; i < r->rowCount(); ++i)
            listed.append(DiffKinds::key(r->row(i).kind) + u' ' + QString::fromUtf8(r->email(i)));
        QCOMPARE(listed, (QStringList{u"consent-violation u1@example.com"_s, u"missing s03@example.com"_s,
                                      u"missing s04@example.com"_s, u"extra x1@example.com"_s,
                                      u"extra x2@example.com"_s, u"changed s05@example.com"_s,
                                      u"changed s08@example.com"_s, u"duplicate-source s10@example.com"_s,
                                      u"duplicate-target s07@example.com"_s}));
        QCOMPARE(r->count(DiffKind::Missing), 2);
        QCOMPARE(r->kindBegin(DiffKind::Changed), 5);

        // The violation: status only.
        const DiffRow &v = r->row(0);
        QVERIFY(v.statusDiffers());
        QCOMPARE(ContactStatus(v.sourceStatus), ContactStatus::Unsubscribed);
        QCOMPARE(ContactStatus(v.targetStatus), ContactStatus::Subscribed);
        QCOMPARE(v.fieldMask, DiffRow::kStatusBit);
    }

    void detailsAreReadAgainFromTheFiles()
    {
        Result<DiffResult> r = compare(m_zip, m_brevo);
        QVERIFY(r.ok());
        // s08: after multi-line records on both sides, so the offsets must be exact.
        Result<DiffDetail> d = r->detail(6);
        QVERIFY2(d.ok(), qPrintable(d.ok() ? QString() : d.error().toString()));
        QCOMPARE(d->email, u"s08@example.com"_s);
        QCOMPARE(d->fields.size(), 4);
        QCOMPARE(d->fields[1].name, u"Last Name"_s);
        QCOMPARE(d->fields[1].sourceValue, u"Smith, Jr.\nthe second"_s);
        QCOMPARE(d->fields[1].targetValue, u"Smith"_s);
        QVERIFY(d->fields[1].differs);
        QVERIFY(!d->fields[0].differs);
        QCOMPARE(d->fields[3].sourceValue, u"8"_s);
        QCOMPARE(d->fields[3].targetValue, u"9"_s);
        QVERIFY(d->fields[3].differs);
        QCOMPARE(d->sourceWhere, m_dir.filePath(u"audience_export.zip"_s).section(u'/', -1)
                                     + u" \u203A subscribed_members_export_1.csv:10"_s);
        QCOMPARE(d->targetWhere, m_brevo + u":5"_s);

        // A missing contact has only its source side.
        Result<DiffDetail> missing = r->detail(1);
        QVERIFY(missing.ok());
        QCOMPARE(missing->email, u"s03@example.com"_s);
        QCOMPARE(missing->fields[0].sourceValue, u"Cid"_s);
        QCOMPARE(missing->fields[0].targetValue, QString());
        QVERIFY(!missing->targetStatus.has_value());
    }

    void csvExportListsViolationsFirst()
    {
        Result<DiffResult> r = compare(m_zip, m_brevo);
        QVERIFY(r.ok());
        const QString path = m_dir.filePath(u"differences.csv"_s);
        QVERIFY(r->writeCsv(path).ok());
        QFile f(path);
        QVERIFY(f.open(QIODevice::ReadOnly));
        const QByteArray bytes = f.readAll();
        QVERIFY(bytes.startsWith("\xEF\xBB\xBF"));
        QCOMPARE(QString::fromUtf8(bytes.mid(3)),
                 u"email,kind,field,source value,target value\r\n"
                 "u1@example.com,consent-violation,status,unsubscribed,subscribed\r\n"
                 "s03@example.com,missing,,,\r\n"
                 "s04@example.com,missing,,,\r\n"
                 "x1@example.com,extra,,,\r\n"
                 "x2@example.com,extra,,,\r\n"
                 "s05@example.com,changed,First Name,Tom,Thomas\r\n"
                 "s08@example.com,changed,Last Name,\"Smith, Jr.\nthe second\",Smith\r\n"
                 "s08@example.com,changed,Score,8,9\r\n"
                 "s10@example.com,duplicate-source,,,\r\n"
                 "s07@example.com,duplicate-target,,,\r\n"_s);
    }

    // The plain CSV is read first and the zip matched against it, whichever side each is.
    void swappedSidesMirror()
    {
        Result<DiffResult> r = compare(m_brevo, m_zip);
        QVERIFY2(r.ok(), qPrintable(r.ok() ? QString() : r.error().toString()));
        const DiffSummary &s = r->summary;
        QCOMPARE(s.sourceRecords, 13);
        QCOMPARE(s.targetRecords, 13);
        QCOMPARE(s.missing, 2);
        QCOMPARE(s.extra, 2);
        QCOMPARE(s.sourceDuplicates, 1);
        QCOMPARE(s.targetDuplicates, 1);
        QCOMPARE(s.consentViolations, 0); // unsubscribed on the target is never a violation
        QStringList listed;
        for (qsizetype i = 0; i < r->rowCount(); ++i) {
            if (r->row(i).kind != DiffKind::Changed)
                listed.append(DiffKinds::key(r->row(i).kind) + u' ' + QString::fromUtf8(r->email(i)));
        }
        QCOMPARE(listed, (QStringList{u"missing x1@example.com"_s, u"missing x2@example.com"_s,
                                      u"extra s03@example.com"_s, u"extra s04@example.com"_s,
                                      u"duplicate-source s07@example.com"_s, u"duplicate-target s10@example.com"_s}));
    }

    // A file CsvScanner does not read to the end (a line of blanks) goes to CsvReader from
    // there, and the pieces give way to one reading: the same counts, in both directions.
    void unusualFileReadTheSlowWay()
    {
        QByteArray content = kBrevo;
        content.insert(content.indexOf('\n', content.indexOf("u2@example.com")) + 1, "   \n");
        const QString odd = TestSupport::writeFile(m_dir.path(), u"brevo_blank_line.csv"_s, content);
        for (const bool swapped : {false, true}) {
            Result<DiffResult> r = swapped ? compare(odd, m_zip) : compare(m_zip, odd);
            QVERIFY2(r.ok(), qPrintable(r.ok() ? QString() : r.error().toString()));
            const DiffSummary &s = r->summary;
            QCOMPARE(s.sourceRecords, 13);
            QCOMPARE(s.targetRecords, 13);
            QCOMPARE(s.missing, 2);
            QCOMPARE(s.extra, 2);
            QCOMPARE(s.changed, 3);
            QCOMPARE(s.identical, 7);
            QCOMPARE(s.sourceDuplicates + s.targetDuplicates, 2);
        }
        // A byte order mark before a quoted header: read in pieces all the same.
        const QString bom = TestSupport::writeFile(m_dir.path(), u"brevo_bom.csv"_s,
                                                   "\xEF\xBB\xBF\"EMAIL\";" + kBrevo.sliced(6));
        Result<DiffResult> withBom = compare(m_zip, bom);
        QVERIFY2(withBom.ok(), qPrintable(withBom.ok() ? QString() : withBom.error().toString()));
        QCOMPARE(withBom->summary.identical, 7);
        QCOMPARE(withBom->summary.changed, 3);
        Result<DiffResult> plain = compare(m_zip, m_brevo);
        QVERIFY(plain.ok());
        QCOMPARE(withBom->rowCount(), plain->rowCount());
        for (qsizetype i = 0; i < plain->rowCount(); ++i) {
            QCOMPARE(withBom->email(i), plain->email(i)); // found again where the pieces said
            QCOMPARE(withBom->row(i).targetLine, plain->row(i).targetLine);
        }
        // The record after the blank line is on the line after it.
        Result<DiffResult> r = compare(m_zip, odd);
        QVERIFY(r.ok());
        for (qsizetype i = 0; i < r->rowCount(); ++i) {
            if (r->email(i) == "x2@example.com")
                QCOMPARE(r->row(i).targetLine, quint32(kBrevo.left(kBrevo.indexOf("x2@example.com")).count('\n') + 2));
        }
    }

    // A duplicate read in pieces is matched as if it were the first of its address: when it is
    // the one that is like the other side, it was not taken, and the details are read again.
    void duplicateTakenForTheFirstIsReadAgain()
    {
        QByteArray subscribed = kSubscribed;
        subscribed.replace("s10@example.com,Jo,Jones,,10,2,,\r\ns10@example.com,Joanna,Jones,,10,2,,\r\n",
                           "s10@example.com,Joanna,Jones,,10,2,,\r\ns10@example.com,Jo,Jones,,10,2,,\r\n");
        QVERIFY(subscribed != kSubscribed);
        const QString zip = m_dir.filePath(u"audience_export_swapped_s10.zip"_s);
        QVERIFY(TestSupport::writeZip(zip, {{u"subscribed_members_export_1.csv"_s, subscribed},
                                            {u"unsubscribed_members_export_1.csv"_s, kUnsubscribed}}));
        Result<DiffResult> r = compare(zip, m_brevo);
        QVERIFY2(r.ok(), qPrintable(r.ok() ? QString() : r.error().toString()));
        const DiffSummary &s = r->summary;
        QCOMPARE(s.changed, 4); // s10's first row (Joanna) is the one paired now
        QCOMPARE(s.identical, 6);
        QCOMPARE(s.sourceDuplicates, 1);
        QCOMPARE(byField(s, u"First Name"_s), 2);
        QStringList duplicates;
        for (qsizetype i = r->kindBegin(DiffKind::DuplicateInSource); i < r->rowCount(); ++i) {
            if (r->row(i).kind == DiffKind::DuplicateInSource) {
                duplicates.append(QString::fromUtf8(r->email(i)));
                const Result<DiffDetail> d = r->detail(i);
                QVERIFY(d.ok());
                QCOMPARE(d->fields.value(0).sourceValue, u"Jo"_s);
            }
        }
        QCOMPARE(duplicates, QStringList{u"s10@example.com"_s});
    }

    // Sides over 4 MB are read in several pieces: every record keeps its line (CRLF, quoted line
    // breaks), on both sides.
    void piecesKeepLines()
    {
        QByteArray source = "Email Address,First Name,Last Name,Phone Number,Score,MEMBER_RATING,OPTIN_TIME,TAGS\r\n";
        QByteArray target = "EMAIL;FIRSTNAME;LASTNAME;SMS;SCORE;EMAIL_BLACKLISTED\n";
        qint64 sourceLine = 2, targetLine = 2;
        QMap<QByteArray, std::pair<qint64, qint64>> changedLines; // email -> source, target line
        for (int i = 0; i < 100000; ++i) {
            const QByteArray n = QByteArray::number(i);
            const QByteArray email = "p" + n + "@example.com";
            const bool twoLines = i % 7 == 0;
            const QByteArray last = twoLines ? "\"L" + n + "\nsecond\"" : "L" + n;
            source += email + ",F" + n + ',' + last + ",,1,2,,\r\n";
            const bool changed = i % 997 == 0;
            target += email + ";" + (changed ? "G" : "F") + n + ';' + last + ";;1;false\n";
            if (changed)
                changedLines.insert(email, {sourceLine, targetLine});
            sourceLine += twoLines ? 2 : 1;
            targetLine += twoLines ? 2 : 1;
        }
        QVERIFY(source.size() > (4 << 20) && target.size() > (4 << 20)); // more than a piece each
        const QString zip = m_dir.filePath(u"big_export.zip"_s);
        QVERIFY(TestSupport::writeZip(zip, {{u"subscribed_members_export_1.csv"_s, source}}));
        const QString csv = TestSupport::writeFile(m_dir.path(), u"big_brevo.csv"_s, target);
        Result<DiffResult> r = compare(zip, csv);
        QVERIFY2(r.ok(), qPrintable(r.ok() ? QString() : r.error().toString()));
        QCOMPARE(r->summary.sourceRecords, 100000);
        QCOMPARE(r->summary.changed, qint64(changedLines.size()));
        QCOMPARE(r->rowCount(), changedLines.size());
        for (qsizetype i = 0; i < r->rowCount(); ++i) {
            const auto lines = changedLines.value(r->email(i).toByteArray());
            QCOMPARE(qint64(r->row(i).sourceLine), lines.first);
            QCOMPARE(qint64(r->row(i).targetLine), lines.second);
        }
        const Result<DiffDetail> last = r->detail(r->rowCount() - 1);
        QVERIFY(last.ok());
        QCOMPARE(last->targetWhere, csv + u':' + QString::number(changedLines.value(r->email(r->rowCount() - 1).toByteArray()).second));
    }

    void cancelledSaysSo()
    {
        std::atomic_bool cancel{true};
        for (const bool swapped : {false, true}) {
            DiffInput input;
            input.source = DiffEngine::sideFor(swapped ? m_brevo : m_zip, nullptr, true);
            input.target = DiffEngine::sideFor(swapped ? m_zip : m_brevo, nullptr, false);
            const Result<DiffResult> r = DiffEngine::compare(std::move(input), &cancel);
            QVERIFY(!r.ok());
            QCOMPARE(r.error().message, u"The comparison was cancelled."_s);
        }
    }

    void sameFileIsIdentical()
    {
        Result<DiffResult> r = compare(m_brevo, m_brevo);
        QVERIFY(r.ok());
        QCOMPARE(r->summary.identical, 12);
        QCOMPARE(r->summary.sourceDuplicates, 1);
        QCOMPARE(r->summary.targetDuplicates, 1);
        QCOMPARE(r->summary.changed + r->summary.missing + r->summary.extra, 0);
        QCOMPARE(r->summary.fields.size(), 4); // every column but the email and the blocklist flag
    }

    void malformedInputSaysWhere_data()
    {
        QTest::addColumn<QByteArray>("target");
        QTest::addColumn<QString>("where");
        QTest::addColumn<QString>("message");
        QTest::newRow("unterminated quote") << "EMAIL;FIRSTNAME;LASTNAME\na@example.com;A;B\nb@example.com;\"B;C\n"_ba
                                            << u":3"_s << u"quote"_s;
        QTest::newRow("ragged row") << "EMAIL;FIRSTNAME;LASTNAME\na@example.com;A;B\nb@example.com;B\n"_ba << u":3"_s
                                    << u"2 fields"_s;
        QTest::newRow("no email column") << "who;FIRSTNAME\na;b\n"_ba << u":1"_s << u"no email column"_s;
        QTest::newRow("empty") << QByteArray() << u":1"_s << u"empty"_s;
    }
    void malformedInputSaysWhere()
    {
        QFETCH(QByteArray, target);
        QFETCH(QString, where);
        QFETCH(QString, message);
        const QString path = TestSupport::writeFile(m_dir.path(), u"bad.csv"_s, target);
        Result<DiffResult> r = compare(m_brevo, path);
        QVERIFY(!r.ok());
        QCOMPARE(r.error().where, path + where);
        QVERIFY2(r.error().message.contains(message), qPrintable(r.error().message));
    }

    void genericCsvNeedsMatchingColumnsOrAMapping()
    {
        const QString generic = TestSupport::writeFile(m_dir.path(), u"sheet.csv"_s,
                                                       "Mail,Given name,Surname\ns01@example.com,Ann,Able\n");
        Result<DiffResult> r = compare(generic, m_brevo);
        QVERIFY(!r.ok());
        QCOMPARE(r.error().where, generic + u":1"_s);
        QVERIFY2(r.error().message.contains(u"Given name, Surname"_s), qPrintable(r.error().message));

        const QString map = TestSupport::writeFile(m_dir.path(), u"map.csv"_s,
                                                   "source,target,type\n# a comment,x\nGiven name,FIRSTNAME,text\n"
                                                   "Surname,LASTNAME\n");
        Result<DiffMappingFile> file = DiffMappingFile::load(map);
        QVERIFY(file.ok());
        DiffInput input;
        input.mappingFile = file.value();
        input.source = DiffEngine::sideFor(generic, &*input.mappingFile, true);
        input.target = DiffEngine::sideFor(m_brevo, &*input.mappingFile, false);
        Result<DiffResult> mapped = DiffEngine::compare(std::move(input));
        QVERIFY2(mapped.ok(), qPrintable(mapped.ok() ? QString() : mapped.error().toString()));
        QCOMPARE(mapped->summary.fields.size(), 2);
        QCOMPARE(mapped->summary.identical, 0);
        QCOMPARE(mapped->summary.extra, 11);
        QCOMPARE(mapped->summary.targetDuplicates, 1);
        // A sheet without a status is unknown, never taken as subscribed: against a subscribed
        // target that is a violation.
        QCOMPARE(mapped->summary.changed, 1);
        QCOMPARE(mapped->summary.consentViolations, 1);
        QCOMPARE(mapped->summary.changedByField, (QList<qint64>{0, 0}));
    }

    void mappingFileErrors_data()
    {
        QTest::addColumn<QByteArray>("content");
        QTest::addColumn<QString>("where");
        QTest::addColumn<QString>("message");
        QTest::newRow("no header") << "a,b\nc,d\n"_ba << u":1"_s << u"source"_s;
        QTest::newRow("unknown type") << "source,target,type\nA,B,colour\n"_ba << u":2"_s << u"colour"_s;
        QTest::newRow("no target") << "source,target\nA,\n"_ba << u":2"_s << u"both"_s;
        QTest::newRow("bad quote") << "source,target\n\"A,B\n"_ba << u":2"_s << u"quote"_s;
    }
    void mappingFileErrors()
    {
        QFETCH(QByteArray, content);
        QFETCH(QString, where);
        QFETCH(QString, message);
        const QString path = TestSupport::writeFile(m_dir.path(), u"badmap.csv"_s, content);
        Result<DiffMappingFile> file = DiffMappingFile::load(path);
        QVERIFY(!file.ok());
        QCOMPARE(file.error().where, path + where);
        QVERIFY2(file.error().message.contains(message), qPrintable(file.error().message));
    }

    void backupAgainstSandboxReadBack()
    {
        // The source snapshot: a finished backup of four Mailchimp contacts.
        const QString folder = m_dir.filePath(u"backup"_s);
        QVERIFY(QDir().mkpath(folder));
        QList<SourceContact> contacts;
        const auto contact = [](const QString &email, const QString &first, ContactStatus status) {
            SourceContact c;
            c.email = email;
            c.status = status;
            c.fields.insert(u"FNAME"_s, first);
            return c;
        };
        contacts << contact(u"ann@example.com"_s, u"Ann"_s, ContactStatus::Subscribed)
                 << contact(u"ben@example.com"_s, u"Ben"_s, ContactStatus::Subscribed)
                 << contact(u"cy@example.com"_s, u"Cy"_s, ContactStatus::Unsubscribed)
                 << contact(u"dot@example.com"_s, u"Dot"_s, ContactStatus::Subscribed);
        {
            BackupFileSink sink(folder, BackupFormat::kContacts);
            QVERIFY(sink.open().ok());
            for (const SourceContact &c : std::as_const(contacts))
                QVERIFY(sink.writeLine(BackupFormat::contactJson(c)).ok());
            QVERIFY(sink.commit().ok());
            const FieldDefinition fname{u"FNAME"_s, u"First Name"_s, FieldType::Text, u"text"_s, false, {}, {}};
            QFile fields(QDir(folder).filePath(BackupFormat::kFields));
            QVERIFY(fields.open(QIODevice::WriteOnly));
            fields.write(QJsonDocument(QJsonArray{BackupFormat::fieldJson(fname)}).toJson());
            fields.close();
            BackupManifest m;
            m.platform = u"mailchimp"_s;
            m.started = m.finished = QDateTime::currentDateTimeUtc();
            m.files.append(BackupFileEntry{sink.name(), sink.records(), sink.bytes(), sink.sha256()});
            QFile manifest(QDir(folder).filePath(BackupManifest::kFileName));
            QVERIFY(manifest.open(QIODevice::WriteOnly));
            manifest.write(QJsonDocument(m.toJson()).toJson());
        }

        // The target: Brevo's sandbox over HTTP, written as the transfer writes (without Dot), then
        // Ben renamed.
        SandboxHost host;
        SandboxHostOptions options;
        options.contacts = 0;
        QVERIFY(host.start(options).ok());
        host.inspect([](MailchimpSandbox &, BrevoSandbox &brevo, KlaviyoSandbox &) { brevo.setImportPolls(0); });
        NetworkThread network(RateLimiter::withPlatformDefaults(), RetryPolicy(quickRetries()));
        const auto endpoint = host.endpoint(TargetPlatform::Brevo);
        QVERIFY(endpoint);
        std::unique_ptr<TargetConnector> brevo = ConnectorFactory::target(
            ConnectionSettings{TargetPlatform::Brevo, endpoint->apiKey, endpoint->apiRoot}, network.client());
        Result<EnsuredItem> list = wait(brevo->ensureList(u"Migration"_s));
        QVERIFY2(list.ok(), qPrintable(list.ok() ? QString() : list.error().toString()));
        QList<FieldSpec> specs;
        for (const EvidenceField &e : ConsentMapping::evidenceFields(TargetPlatform::Brevo))
            specs.append(FieldSpec{e.name, e.type, {}, {}});
        QVERIFY(wait(brevo->ensureFields(list->id, specs)).ok());
        const QList<FieldMappingRow> mapping = FieldMapping::suggest(
            {InventoryField{u"First Name"_s, FieldType::Text, 1, true}}, TargetPlatform::Brevo);
        const ContactTranslator translator(TargetPlatform::Brevo, mapping,
                                           {FieldDefinition{u"FNAME"_s, u"First Name"_s, FieldType::Text, {}, false, {}, {}}});
        QList<TargetContact> suppressions, subscribers;
        for (const SourceContact &c : std::as_const(contacts)) {
            if (c.email.startsWith(u"dot"_s))
                continue;
            SourceContact written = c;
            if (c.email.startsWith(u"ben"_s))
                written.fields[u"FNAME"_s] = u"Benjamin"_s;
            Result<TargetContact> t = translator.translate(written);
            QVERIFY(t.ok());
            (t->write.wave == WriteWave::Suppression ? suppressions : subscribers).append(t.value());
        }
        const Result<BatchResult> suppressed = wait(brevo->writeSuppressions(list->id, suppressions));
        QVERIFY2(suppressed.ok(), qPrintable(suppressed.ok() ? QString() : suppressed.error().toString()));
        QCOMPARE(suppressed->written, 1);
        const Result<BatchResult> upserted = wait(brevo->upsertContacts(list->id, subscribers));
        QVERIFY2(upserted.ok(), qPrintable(upserted.ok() ? QString() : upserted.error().toString()));
        QCOMPARE(upserted->written, 2);

        DiffInput input;
        input.source = DiffEngine::sideFor(folder, nullptr, true);
        input.target = std::make_shared<ConnectorRecordSource>(*brevo, list->id, 2); // pages of 2
        Result<DiffResult> r = DiffEngine::compare(std::move(input));
        QVERIFY2(r.ok(), qPrintable(r.ok() ? QString() : r.error().toString()));
        const DiffSummary &s = r->summary;
        QCOMPARE(s.sourceRecords, 4);
        QCOMPARE(s.targetRecords, 3);
        QCOMPARE(s.missing, 1);
        QCOMPARE(s.extra, 0);
        QCOMPARE(s.changed, 1);
        QCOMPARE(s.identical, 2);
        QCOMPARE(s.consentViolations, 0);
        QCOMPARE(s.fields.first().targetName, u"FIRSTNAME"_s);
        QCOMPARE(byField(s, u"First Name"_s), 1);
        QCOMPARE(s.targetByStatus[size_t(ContactStatus::Unsubscribed)], 1);
        QCOMPARE(QString::fromUtf8(r->email(0)), u"dot@example.com"_s);
        QCOMPARE(QString::fromUtf8(r->email(1)), u"ben@example.com"_s);
        Result<DiffDetail> d = r->detail(1);
        QVERIFY(d.ok());
        QCOMPARE(d->fields.first().sourceValue, u"Ben"_s);
        QCOMPARE(d->fields.first().targetValue, u"Benjamin"_s);
    }
};

QTEST_GUILESS_MAIN(tst_DiffEngine)
#include "tst_diffengine.moc"
