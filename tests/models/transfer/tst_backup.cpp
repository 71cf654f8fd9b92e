// The Backup stage over real HTTP against the Mailchimp sandbox (on its own thread, so that the
// backup may wait for answers on the job pool as it does in the application).

#include "connectors/connectorfactory.h"
#include "connectors/transport/networkthread.h"
#include "csv/csvreader.h"
#include "sandbox/mailchimpsandbox.h"
#include "sandbox/sandboxhost.h"
#include "transfer/backupcontactstream.h"
#include "transfer/backupformat.h"
#include "transfer/backupreader.h"
#include "transfer/backupwriter.h"

#include <QCryptographicHash>
#include <QDir>
#include <QElapsedTimer>
#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QRegularExpression>
#include <QSet>
#include <QTemporaryDir>
#include <QTest>

using namespace Qt::StringLiterals;

namespace {

RetrySettings quickRetries()
{
    RetrySettings s;
    s.maxAttempts = 3;
    s.baseDelayMs = 5;
    s.maxDelayMs = 50;
    return s;
}

ConnectionSettings settingsOf(const SandboxHost &host)
{
    const auto e = host.endpoint(TargetPlatform::Mailchimp);
    return ConnectionSettings{TargetPlatform::Mailchimp, e ? e->apiKey : QString(),
                              e ? e->apiRoot : QUrl()};
}

QString audienceOf(const SandboxHost &host)
{
    const auto e = host.endpoint(TargetPlatform::Mailchimp);
    return e ? e->audienceId : QString();
}

QStringList backupFolders(const QString &projectPath)
{
    return QDir(BackupWriter::archiveFolder(projectPath))
        .entryList({u"backup-*"_s}, QDir::Dirs | QDir::NoDotAndDotDot);
}

QByteArray readAll(const QString &path)
{
    QFile f(path);
    return f.open(QIODevice::ReadOnly) ? f.readAll() : QByteArray();
}

QList<QJsonObject> jsonLines(const QString &path)
{
    QList<QJsonObject> out;
    const QByteArray bytes = readAll(path);
    for (const QByteArray &line : bytes.split('\n')) {
        if (!line.isEmpty())
            out.append(QJsonDocument::fromJson(line).object());
    }
    return out;
}

/// A copy of a backup folder (flat) to tamper with.
QString copyFolder(const QString &from, const QString &to)
{
    QDir().mkpath(to);
    for (const QString &name : QDir(from).entryList(QDir::Files))
        QFile::copy(QDir(from).filePath(name), QDir(to).filePath(name));
    return to;
}

} // namespace

class tst_Backup : public QObject
{
    Q_OBJECT

private:
    static constexpr int kContacts = 2100; // three pages of up to 1000
    QTemporaryDir m_dir;
    SandboxHost m_host;
    QString m_folder; // the backup of backsUpEveryContact, for the later tests
    QString m_cmdEmail;

    /// Runs a backup to its end; the future holds its outcome.
    QFuture<Result<BackupManifest>> backUp(const ConnectionSettings &settings,
                                           const QString &audience, const QString &projectPath,
                                           double *seconds = nullptr)
    {
        NetworkThread network(RateLimiter::withPlatformDefaults(), RetryPolicy(quickRetries()));
        auto source = ConnectorFactory::source(settings, network.client());
        QElapsedTimer timer;
        timer.start();
        auto future = BackupWriter::start(*source, audience, projectPath);
        future.waitForFinished(); // the sandbox serves from its own thread
        if (seconds)
            *seconds = double(timer.nsecsElapsed()) / 1e9;
        return future;
    }

private Q_SLOTS:
    void contactsReadBackAsTheyWereWritten()
    {
        // What the transfer stages read from a backup is exactly what the source said.
        SourceContact c;
        c.id = u"abc"_s;
        c.email = u"Zoë@Example.com"_s;
        c.status = ContactStatus::Complained;
        c.platformStatus = u"unsubscribed"_s;
        c.fields = {{u"FNAME"_s, u"Zoë"_s}, {u"ADDRESS"_s, u"1 Main St  Springfield  IL  62701  US"_s}};
        c.tags = {u"VIP"_s, u"a,b"_s};
        c.consent.optinTime = QDateTime(QDate(2021, 1, 4), QTime(8, 0, 0, 123), Qt::UTC);
        c.consent.optinIp = u"192.0.2.1"_s;
        c.consent.suppressionTime = QDateTime(QDate(2025, 6, 1), QTime(10, 0), Qt::UTC);
        c.consent.suppressionReason = u"spam"_s;
        c.language = u"fr"_s;
        c.location.countryCode = u"FR"_s;
        c.location.latitude = 48.85;
        c.rating = 4;
        c.lastChanged = QDateTime(QDate(2025, 6, 1), QTime(10, 0), Qt::UTC);
        const Result<SourceContact> back = BackupFormat::contactFromJson(
            QJsonDocument::fromJson(QJsonDocument(BackupFormat::contactJson(c)).toJson(QJsonDocument::Compact)).object());
        QVERIFY(back.ok());
        QCOMPARE(back->email, c.email);
        QCOMPARE(back->id, c.id);
        QCOMPARE(back->status, c.status);
        QCOMPARE(back->platformStatus, c.platformStatus);
        QCOMPARE(back->fields, c.fields);
        QCOMPARE(back->tags, c.tags);
        QCOMPARE(back->consent.optinTime, c.consent.optinTime);
        QCOMPARE(back->consent.optinIp, c.consent.optinIp);
        QVERIFY(!back->consent.confirmTime.isValid());
        QCOMPARE(back->consent.suppressionTime, c.consent.suppressionTime);
        QCOMPARE(back->consent.suppressionReason, c.consent.suppressionReason);
        QCOMPARE(back->language, c.language);
        QCOMPARE(back->location.countryCode, c.location.countryCode);
        QCOMPARE(back->location.latitude, c.location.latitude);
        QVERIFY(!back->location.longitude.has_value());
        QCOMPARE(back->rating, 4);
        QCOMPARE(back->lastChanged, c.lastChanged);

        // Not a contact: said so, not guessed.
        QVERIFY(!BackupFormat::contactFromJson(QJsonObject{{u"status"_s, u"subscribed"_s}}).ok());
        QVERIFY(!BackupFormat::contactFromJson(QJsonObject{{u"email"_s, u"a@example.com"_s}, {u"status"_s, u"vip"_s}}).ok());

        FieldDefinition f;
        f.key = u"BIRTHDAY"_s;
        f.label = u"Birthday"_s;
        f.type = FieldType::Birthday;
        f.platformType = u"birthday"_s;
        f.choices = {u"x"_s};
        f.format = u"MM/DD"_s;
        const FieldDefinition g = BackupFormat::fieldFromJson(BackupFormat::fieldJson(f));
        QCOMPARE(g.key, f.key);
        QCOMPARE(g.label, f.label);
        QCOMPARE(g.type, f.type);
        QCOMPARE(g.platformType, f.platformType);
        QCOMPARE(g.choices, f.choices);
        QCOMPARE(g.format, f.format);
    }

    void initTestCase()
    {
        QVERIFY(m_dir.isValid());
        SandboxHostOptions options;
        options.contacts = kContacts;
        const auto started = m_host.start(options);
        QVERIFY2(started.ok(), qPrintable(started.ok() ? QString() : started.error().toString()));
        // A formula in a merge field (to be defused in the CSV) and a spam complaint.
        m_host.inspect([&](MailchimpSandbox &mc, BrevoSandbox &, KlaviyoSandbox &) {
            const MailchimpList *list = mc.list(audienceOf(m_host));
            MailchimpMember m = list->members.at(7);
            m.mergeFields.insert(u"FNAME"_s, u"=cmd"_s);
            m_cmdEmail = m.email;
            mc.putMember(list->id, m);
            for (const MailchimpMember &u : list->members) {
                if (u.status == u"unsubscribed"_s) {
                    mc.addAbuseReport(list->id, u.email, mc.campaigns().first().id);
                    break;
                }
            }
        });
    }

    void backsUpEveryContact()
    {
        const QString project = m_dir.filePath(u"shop.stagecoach"_s);
        double seconds = 0;
        const auto future = backUp(settingsOf(m_host), audienceOf(m_host), project, &seconds);
        QCOMPARE(future.resultCount(), 1);
        const Result<BackupManifest> result = future.result();
        QVERIFY2(result.ok(), qPrintable(result.ok() ? QString() : result.error().toString()));
        const BackupManifest &m = result.value();
        qInfo("backup of %d contacts: %.0f contacts/s", kContacts, kContacts / seconds);
        QCOMPARE(future.progressValue(), kContacts);
        QCOMPARE(future.progressMaximum(), kContacts);

        // Beside the project file, named by its UTC start.
        m_folder = m.folder;
        QCOMPARE(QFileInfo(m_folder).absolutePath(),
                 QFileInfo(m_dir.filePath(u"shop.archive"_s)).absoluteFilePath());
        QVERIFY2(QRegularExpression(u"^backup-\\d{8}-\\d{6}$"_s)
                     .match(QFileInfo(m_folder).fileName())
                     .hasMatch(),
                 qPrintable(m_folder));
        QCOMPARE(QDir(m_folder).entryList(QDir::Files),
                 QStringList({u"campaigns.jsonl"_s, u"contacts.jsonl"_s, u"fields.json"_s,
                              u"manifest.json"_s, u"templates.jsonl"_s}));

        // The sandbox's members, counted here independently.
        QHash<QString, QString> expected; // email -> status key
        QHash<QString, MailchimpMember> members;
        QList<MailchimpTemplate> templates;
        QList<MailchimpCampaign> campaigns;
        qsizetype mergeFields = 0;
        m_host.inspect([&](MailchimpSandbox &mc, BrevoSandbox &, KlaviyoSandbox &) {
            const MailchimpList *list = mc.list(audienceOf(m_host));
            QSet<QString> complained;
            for (const MailchimpAbuseReport &r : list->abuseReports)
                complained.insert(r.email.toLower());
            for (const MailchimpMember &mm : list->members) {
                const bool isComplaint
                    = mm.status == u"unsubscribed"_s && complained.contains(mm.email.toLower());
                // The sandbox's status words are ContactStatuses keys, but for complaints.
                expected.insert(mm.email, isComplaint ? u"complained"_s : mm.status);
                members.insert(mm.email, mm);
            }
            templates = mc.templates();
            campaigns = mc.campaigns();
            mergeFields = list->mergeFields.size();
        });
        QCOMPARE(expected.size(), kContacts);

        const QList<QJsonObject> contacts = jsonLines(QDir(m_folder).filePath(u"contacts.jsonl"_s));
        QCOMPARE(contacts.size(), kContacts);
        QHash<QString, qint64> byStatus;
        QSet<QString> seen;
        for (const QJsonObject &c : contacts) {
            const QString email = c.value(u"email"_s).toString();
            QVERIFY2(!seen.contains(email), qPrintable(email));
            seen.insert(email);
            QVERIFY2(expected.contains(email), qPrintable(email));
            QCOMPARE(c.value(u"status"_s).toString(), expected.value(email));
            ++byStatus[c.value(u"status"_s).toString()];
            const MailchimpMember &mm = members[email];
            QCOMPARE(c.value(u"platformStatus"_s).toString(), mm.status);
            QCOMPARE(c.value(u"fields"_s).toObject().value(u"FNAME"_s).toString(),
                     mm.mergeFields.value(u"FNAME"_s).toString());
            QCOMPARE(c.value(u"tags"_s).toArray().size(), mm.tags.size());
            const QJsonObject consent = c.value(u"consent"_s).toObject();
            QCOMPARE(consent.value(u"optinIp"_s).toString(), mm.ipSignup);
            QCOMPARE(consent.value(u"confirmIp"_s).toString(), mm.ipOpt);
            QCOMPARE(QDateTime::fromString(consent.value(u"confirmTime"_s).toString(),
                                           Qt::ISODateWithMs),
                     mm.timestampOpt);
            QCOMPARE(c.value(u"rating"_s).toInt(), mm.memberRating);
        }
        QHash<QString, qint64> expectedByStatus;
        for (const QString &s : std::as_const(expected))
            ++expectedByStatus[s];
        QCOMPARE(byStatus, expectedByStatus);
        QVERIFY(byStatus.value(u"complained"_s) > 0); // from the abuse reports
        QVERIFY(byStatus.size() >= 6);                // every status of the demo cycle

        // The manifest against an independent recomputation.
        QCOMPARE(m.platform, u"mailchimp"_s);
        QCOMPARE(m.audienceId, audienceOf(m_host));
        QVERIFY(m.started.isValid() && m.finished >= m.started);
        QVERIFY(m.skipped.isEmpty());
        QHash<QString, qint64> manifestByStatus;
        for (auto it = m.contactsByStatus.begin(); it != m.contactsByStatus.end(); ++it)
            manifestByStatus.insert(ContactStatuses::key(it.key()), it.value());
        QCOMPARE(manifestByStatus, expectedByStatus);
        QCOMPARE(m.files.size(), 4);
        for (const BackupFileEntry &f : m.files) {
            const QByteArray bytes = readAll(QDir(m_folder).filePath(f.name));
            QCOMPARE(f.bytes, qint64(bytes.size()));
            QCOMPARE(f.sha256,
                     QString::fromLatin1(
                         QCryptographicHash::hash(bytes, QCryptographicHash::Sha256).toHex()));
            const qint64 records = f.name.endsWith(u".jsonl"_s)
                                       ? bytes.count('\n')
                                       : QJsonDocument::fromJson(bytes).array().size();
            QCOMPARE(f.records, records);
        }
        QCOMPARE(m.file(u"contacts.jsonl"_s)->records, qint64(kContacts));
        QCOMPARE(m.file(u"fields.json"_s)->records, qint64(mergeFields));
        // The manifest on disk says the same.
        const auto loaded = BackupManifest::load(m_folder);
        QVERIFY(loaded.ok());
        QCOMPARE(loaded->toJson(), m.toJson());

        // Templates with their HTML, campaigns with their reports.
        const QList<QJsonObject> templateLines
            = jsonLines(QDir(m_folder).filePath(u"templates.jsonl"_s));
        QCOMPARE(templateLines.size(), templates.size());
        for (const QJsonObject &t : templateLines) {
            const auto it = std::find_if(
                templates.begin(), templates.end(), [&](const MailchimpTemplate &mt) {
                    return QString::number(mt.id) == t.value(u"id"_s).toString();
                });
            QVERIFY(it != templates.end());
            QCOMPARE(t.value(u"html"_s).toString(), it->html);
            QVERIFY(!it->html.isEmpty());
        }
        const QList<QJsonObject> campaignLines
            = jsonLines(QDir(m_folder).filePath(u"campaigns.jsonl"_s));
        QCOMPARE(campaignLines.size(), campaigns.size());
        int reports = 0;
        for (const QJsonObject &c : campaignLines) {
            const auto it = std::find_if(
                campaigns.begin(), campaigns.end(),
                [&](const MailchimpCampaign &mc) { return mc.id == c.value(u"id"_s).toString(); });
            QVERIFY(it != campaigns.end());
            if (it->sent.isValid()) {
                ++reports;
                QVERIFY(c.value(u"hasReport"_s).toBool());
                QCOMPARE(c.value(u"recipients"_s).toInteger(), qint64(it->emailsSent));
                QCOMPARE(c.value(u"uniqueOpens"_s).toInteger(), qint64(it->uniqueOpens));
            }
        }
        QCOMPARE(reports, 7);

        // Read back: it verifies, and it is the project's newest verified backup.
        const auto verified = BackupReader::verify(m_folder);
        QVERIFY2(verified.ok(),
                 qPrintable(verified.ok() ? QString() : verified.error().toString()));
        const auto latest = BackupReader::latestVerified(project);
        QVERIFY(latest.ok());
        QCOMPARE(latest->folder, m_folder);
    }

    void flippedByteFailsVerification()
    {
        QVERIFY(!m_folder.isEmpty());
        const QString copy
            = copyFolder(m_folder, m_dir.filePath(u"flipped/backup-20260101-000000"_s));
        QFile f(QDir(copy).filePath(u"contacts.jsonl"_s));
        QVERIFY(f.open(QIODevice::ReadWrite));
        QByteArray bytes = f.readAll();
        const qsizetype at = bytes.indexOf("example.com");
        QVERIFY(at > 0);
        bytes[at] = char(bytes[at] ^ 0x01); // "example" -> "dxample": still valid JSON
        f.seek(0);
        f.write(bytes);
        f.close();
        const auto verified = BackupReader::verify(copy);
        QVERIFY(!verified.ok());
        QCOMPARE(verified.error().where, u"contacts.jsonl"_s);
        QVERIFY2(verified.error().message.contains(u"SHA-256"_s),
                 qPrintable(verified.error().message));
        // Nothing damaged is exported.
        const QString csv = m_dir.filePath(u"flipped.csv"_s);
        const auto exported = BackupReader::exportCsv(copy, BackupPart::Contacts, csv);
        QVERIFY(!exported.ok());
        QCOMPARE(exported.error().where, u"contacts.jsonl"_s);
        QVERIFY(!QFileInfo::exists(csv));
    }

    void statusCountsAreChecked()
    {
        QVERIFY(!m_folder.isEmpty());
        const QString copy
            = copyFolder(m_folder, m_dir.filePath(u"counts/backup-20260101-000000"_s));
        const QString path = QDir(copy).filePath(u"manifest.json"_s);
        QJsonObject manifest = QJsonDocument::fromJson(readAll(path)).object();
        QJsonObject byStatus = manifest.value(u"contactsByStatus"_s).toObject();
        // One subscriber counted as pending: totals, files and hashes still agree.
        byStatus.insert(u"subscribed"_s, byStatus.value(u"subscribed"_s).toInteger() - 1);
        byStatus.insert(u"pending"_s, byStatus.value(u"pending"_s).toInteger() + 1);
        manifest.insert(u"contactsByStatus"_s, byStatus);
        QFile f(path);
        QVERIFY(f.open(QIODevice::WriteOnly | QIODevice::Truncate));
        f.write(QJsonDocument(manifest).toJson());
        f.close();
        const auto verified = BackupReader::verify(copy);
        QVERIFY(!verified.ok());
        QCOMPARE(verified.error().where, u"contacts.jsonl"_s);
        QVERIFY2(verified.error().message.contains(u" subscribed "_s),
                 qPrintable(verified.error().message));
    }

    void truncatedLastLineIsNamed()
    {
        QVERIFY(!m_folder.isEmpty());
        const QString copy = copyFolder(m_folder, m_dir.filePath(u"cut/backup-20260101-000000"_s));
        const QString path = QDir(copy).filePath(u"contacts.jsonl"_s);
        QFile f(path);
        QVERIFY(f.resize(f.size() - 20));
        const auto verified = BackupReader::verify(copy);
        QVERIFY(!verified.ok());
        QCOMPARE(verified.error().where, u"contacts.jsonl line %1"_s.arg(kContacts));

        // A record missing from a complete line is named by the counts instead.
        QVERIFY(f.open(QIODevice::ReadOnly));
        QByteArray bytes = f.readAll();
        f.close();
        bytes.truncate(bytes.lastIndexOf('\n') + 1);
        QVERIFY(f.open(QIODevice::WriteOnly | QIODevice::Truncate));
        f.write(bytes);
        f.close();
        const auto again = BackupReader::verify(copy);
        QVERIFY(!again.ok());
        QCOMPARE(again.error().where, u"contacts.jsonl"_s);
    }

    void contactStreamReadsSkipsAndNamesTheLine()
    {
        // The transfer stages read the backup contact by contact (next) and pass over other
        // waves' contacts (skip); blank lines are not contacts, and a bad line is named.
        QTemporaryDir dir;
        QVERIFY(dir.isValid());
        const auto line = [](const QString &email) {
            SourceContact c;
            c.email = email;
            c.status = ContactStatus::Subscribed;
            c.fields.insert(u"FNAME"_s, u"Ann"_s);
            return QJsonDocument(BackupFormat::contactJson(c)).toJson(QJsonDocument::Compact) + '\n';
        };
        QFile f(QDir(dir.path()).filePath(BackupFormat::kContacts));
        QVERIFY(f.open(QIODevice::WriteOnly));
        f.write(line(u"a@example.com"_s) + "\n" + line(u"b@example.com"_s) + line(u"c@example.com"_s)
                + "  \n" + line(u"d@example.com"_s) + "{\"email\": \"broken@example.com\",\n");
        f.close();

        BackupContactStream stream(dir.path());
        QVERIFY(stream.open().ok());
        auto a = stream.next();
        QVERIFY(a.ok() && a->has_value());
        QCOMPARE((*a)->email, u"a@example.com"_s);
        QCOMPARE((*a)->fields.value(u"FNAME"_s), u"Ann"_s);
        QCOMPARE(stream.line(), 1);
        auto skipped = stream.skip(); // b, after the blank line 2
        QVERIFY(skipped.ok() && *skipped);
        QCOMPARE(stream.line(), 3);
        auto c = stream.next();
        QVERIFY(c.ok() && c->has_value());
        QCOMPARE((*c)->email, u"c@example.com"_s);
        skipped = stream.skip(); // d, after the blank line 5
        QVERIFY(skipped.ok() && *skipped);
        QCOMPARE(stream.line(), 6);
        auto broken = stream.next();
        QVERIFY(!broken.ok());
        QVERIFY2(broken.error().where.endsWith(u"contacts.jsonl line 7"_s), qPrintable(broken.error().where));

        BackupContactStream again(dir.path());
        QVERIFY(again.open().ok());
        for (int i = 0; i < 4; ++i) {
            skipped = again.skip();
            QVERIFY(skipped.ok() && *skipped);
        }
        skipped = again.skip(); // the broken line is a line all the same: skip does not parse
        QVERIFY(skipped.ok() && *skipped);
        skipped = again.skip();
        QVERIFY(skipped.ok() && !*skipped); // the end
        auto end = again.next();
        QVERIFY(end.ok() && !end->has_value());
    }

    void withoutManifestNothingVerifies()
    {
        QVERIFY(!m_folder.isEmpty());
        const QString project = m_dir.filePath(u"unfinished/p.stagecoach"_s);
        const QString copy = copyFolder(m_folder, BackupWriter::archiveFolder(project)
                                                      + u"/backup-20991231-235959"_s);
        QVERIFY(QFile::remove(QDir(copy).filePath(u"manifest.json"_s)));
        QVERIFY(!BackupReader::verify(copy).ok());
        QVERIFY(!BackupReader::latestVerified(project).ok());
        // An older good backup is found behind the unfinished newer one.
        copyFolder(m_folder, BackupWriter::archiveFolder(project) + u"/backup-20200101-000000"_s);
        const auto latest = BackupReader::latestVerified(project);
        QVERIFY(latest.ok());
        QCOMPARE(QFileInfo(latest->folder).fileName(), u"backup-20200101-000000"_s);
    }

    void exportsPartsAsCsv()
    {
        QVERIFY(!m_folder.isEmpty());
        const QString csv = m_dir.filePath(u"contacts.csv"_s);
        const auto rows = BackupReader::exportCsv(m_folder, BackupPart::Contacts, csv);
        QVERIFY2(rows.ok(), qPrintable(rows.ok() ? QString() : rows.error().toString()));
        QCOMPARE(rows.value(), qint64(kContacts));

        QFile file(csv);
        QVERIFY(file.open(QIODevice::ReadOnly));
        CsvReader reader(csv);
        qint64 records = 0;
        QStringList header;
        int fnameColumn = -1, emailColumn = -1;
        QString cmdCell;
        const bool read = reader.read(file, [&](qint64, std::span<const QByteArrayView> fields) {
            if (records++ == 0) {
                for (const QByteArrayView f : fields)
                    header.append(QString::fromUtf8(f));
                fnameColumn = int(header.indexOf(u"FNAME"_s));
                emailColumn = int(header.indexOf(u"email"_s));
                return true;
            }
            if (QString::fromUtf8(fields[size_t(emailColumn)]) == m_cmdEmail)
                cmdCell = QString::fromUtf8(fields[size_t(fnameColumn)]);
            return true;
        });
        QVERIFY2(read, qPrintable(reader.hasError() ? reader.error().toString() : QString()));
        QVERIFY(reader.hadByteOrderMark());
        QCOMPARE(records, qint64(kContacts + 1));
        QVERIFY(fnameColumn > 0);
        QCOMPARE(emailColumn, 0);
        QCOMPARE(cmdCell, u"'=cmd"_s);

        const QString templatesCsv = m_dir.filePath(u"templates.csv"_s);
        const auto templates
            = BackupReader::exportCsv(m_folder, BackupPart::Templates, templatesCsv);
        QVERIFY(templates.ok());
        QCOMPARE(templates.value(),
                 BackupManifest::load(m_folder)->file(u"templates.jsonl"_s)->records);
        const auto campaigns = BackupReader::exportCsv(m_folder, BackupPart::Campaigns,
                                                       m_dir.filePath(u"campaigns.csv"_s));
        QVERIFY(campaigns.ok());
        QCOMPARE(campaigns.value(), qint64(8));
    }

    void cancelAfterFirstPageLeavesNothing()
    {
        // A slow sandbox of its own, so that the cancel lands between pages.
        SandboxHost slow;
        SandboxHostOptions options;
        options.contacts = kContacts;
        options.faults.latencyMs = 150;
        const auto started = slow.start(options);
        QVERIFY(started.ok());
        NetworkThread network(RateLimiter::withPlatformDefaults(), RetryPolicy(quickRetries()));
        auto source = ConnectorFactory::source(settingsOf(slow), network.client());
        const QString project = m_dir.filePath(u"cancelled/p.stagecoach"_s);
        QVERIFY(QDir().mkpath(m_dir.filePath(u"cancelled"_s)));
        BackupOptions backupOptions;
        backupOptions.pageSize = 500;
        auto future = BackupWriter::start(*source, audienceOf(slow), project, backupOptions);
        QTRY_VERIFY_WITH_TIMEOUT(future.progressValue() >= 500 || future.isFinished(), 30000);
        QVERIFY(!future.isFinished());
        QCOMPARE(backupFolders(project).size(), 1); // the folder exists while it runs
        future.cancel();
        QTRY_VERIFY_WITH_TIMEOUT(future.isFinished(), 30000);
        QVERIFY(future.isCanceled());
        QCOMPARE(future.resultCount(), 0);
        QVERIFY(backupFolders(project).isEmpty());
        QVERIFY(!QFileInfo::exists(BackupWriter::archiveFolder(project)));
    }

    void emptyBrevoAccountBacksUpAndVerifies()
    {
        // The Brevo sandbox starts empty: a backup of nothing is still a complete, verified one.
        const auto e = m_host.endpoint(TargetPlatform::Brevo);
        QVERIFY(e);
        const QString project = m_dir.filePath(u"brevo/p.stagecoach"_s);
        QVERIFY(QDir().mkpath(m_dir.filePath(u"brevo"_s)));
        const auto future = backUp(ConnectionSettings{TargetPlatform::Brevo, e->apiKey, e->apiRoot},
                                   QString(), project);
        QCOMPARE(future.resultCount(), 1);
        const auto result = future.result();
        QVERIFY2(result.ok(), qPrintable(result.ok() ? QString() : result.error().toString()));
        QCOMPARE(result->platform, u"brevo"_s);
        QCOMPARE(result->contacts(), qint64(0));
        QCOMPARE(result->file(u"contacts.jsonl"_s)->records, qint64(0));
        QCOMPARE(result->file(u"contacts.jsonl"_s)->sha256,
                 QString::fromLatin1(
                     QCryptographicHash::hash(QByteArray(), QCryptographicHash::Sha256).toHex()));
        const auto latest = BackupReader::latestVerified(project);
        QVERIFY(latest.ok());
        QCOMPARE(latest->folder, result->folder);
        const auto rows = BackupReader::exportCsv(result->folder, BackupPart::Contacts,
                                                  m_dir.filePath(u"brevo.csv"_s));
        QVERIFY(rows.ok());
        QCOMPARE(rows.value(), qint64(0));
    }

    void unknownAudienceWritesNothing()
    {
        const QString project = m_dir.filePath(u"noaudience/p.stagecoach"_s);
        QVERIFY(QDir().mkpath(m_dir.filePath(u"noaudience"_s)));
        const auto future = backUp(settingsOf(m_host), u"nosuchlist"_s, project);
        QCOMPARE(future.resultCount(), 1);
        QVERIFY(!future.result().ok());
        QVERIFY2(future.result().error().message.contains(u"nosuchlist"_s),
                 qPrintable(future.result().error().message));
        QVERIFY(!QFileInfo::exists(BackupWriter::archiveFolder(project)));
    }

    void wrongKeyEndsInTheConnectorError()
    {
        ConnectionSettings settings = settingsOf(m_host);
        settings.apiKey = u"0123456789abcdef0123456789abcdef-"_s + settings.apiKey.section(u'-', 1);
        const QString project = m_dir.filePath(u"wrongkey/p.stagecoach"_s);
        QVERIFY(QDir().mkpath(m_dir.filePath(u"wrongkey"_s)));
        const auto future = backUp(settings, audienceOf(m_host), project);
        QCOMPARE(future.resultCount(), 1);
        const Result<BackupManifest> result = future.result();
        QVERIFY(!result.ok());
        QCOMPARE(result.error().httpStatus, 401);
        QVERIFY(backupFolders(project).isEmpty());
        QVERIFY(!QFileInfo::exists(BackupWriter::archiveFolder(project)));
    }
};

QTEST_GUILESS_MAIN(tst_Backup)
#include "tst_backup.moc"
