#include "transfer/backupwriter.h"

#include "connectors/await.h"
#include "core/jobpool.h"
#include "transfer/backupformat.h"

#include <QDir>
#include <QElapsedTimer>
#include <QFileInfo>
#include <QJsonArray>
#include <QJsonDocument>
#include <QLocale>
#include <QLoggingCategory>
#include <QSaveFile>
#include <QtConcurrent/QtConcurrentRun>

#include <memory>
#include <optional>

using namespace Qt::StringLiterals;

namespace {

Q_LOGGING_CATEGORY(lcBackup, "stagecoach.transfer.backup")

/// Why a backup stopped early: an Error, or nullopt for a cancellation.
using Stop = std::optional<Error>;

class BackupRun
{
    Q_DECLARE_TR_FUNCTIONS(BackupWriter)

public:
    BackupRun(QPromise<Result<BackupManifest>> &promise, SourceConnector &source,
              const BackupOptions &options)
        : m_promise(promise)
        , m_source(source)
        , m_options(options)
    {}

    /// Everything but the folder's removal; returns why it stopped, or the manifest.
    std::variant<BackupManifest, Stop> go(const QString &audienceId, const QString &projectPath);

private:
    template<typename T>
    std::variant<T, Stop> await(QFuture<Result<T>> future)
    {
        auto answer = ConnectorAwait::await(
            std::move(future), [this] { return m_promise.isCanceled(); }, 5);
        if (std::holds_alternative<AwaitCancelled>(answer))
            return Stop();
        if (std::holds_alternative<Error>(answer))
            return Stop(std::get<Error>(std::move(answer)));
        return std::get<0>(std::move(answer));
    }

    void report(qint64 done, bool force);
    std::optional<Stop> writeContacts(const QString &audienceId, BackupManifest &m);
    std::optional<Stop> writeTemplates(BackupManifest &m);
    std::optional<Stop> writeCampaigns(BackupManifest &m);
    std::optional<Stop> writeFields(const QString &audienceId, BackupManifest &m);

    static BackupFileEntry entryOf(const BackupFileSink &sink)
    {
        return BackupFileEntry{sink.name(), sink.records(), sink.bytes(), sink.sha256()};
    }

public:
    QString folder;

private:
    QPromise<Result<BackupManifest>> &m_promise;
    SourceConnector &m_source;
    BackupOptions m_options;
    qint64 m_total = -1;
    QElapsedTimer m_sinceReport;
};

void BackupRun::report(qint64 done, bool force)
{
    if (!force && m_sinceReport.isValid() && m_sinceReport.elapsed() < 100)
        return;
    m_sinceReport.restart();
    const QLocale locale;
    const QString text = m_total >= 0 ? tr("Backing up: %1 of %2 contacts")
                                            .arg(locale.toString(done), locale.toString(m_total))
                                      : tr("Backing up: %1 contacts").arg(locale.toString(done));
    // QPromise counts in int; an audience of more than 2^31 contacts is not a concern.
    const int total = int(std::max<qint64>(m_total, done));
    m_promise.setProgressRange(0, std::max(total, 1));
    m_promise.setProgressValueAndText(int(done), text);
}

std::variant<BackupManifest, Stop> BackupRun::go(const QString &audienceId,
                                                 const QString &projectPath)
{
    using F = SourceConnector::Feature;
    const SourceConnector::Features features = m_source.features();
    BackupManifest m;
    m.started = QDateTime::currentDateTimeUtc();
    m.platform = TargetPlatforms::key(m_source.platform());

    // The account first: a wrong key ends here, before anything is written.
    auto account = await(m_source.testConnection());
    if (auto *stop = std::get_if<Stop>(&account))
        return *stop;
    m.accountId = std::get<AccountInfo>(account).id;
    m.accountName = std::get<AccountInfo>(account).name;
    m.audienceId = audienceId;
    if (features.testFlag(F::Audiences)) {
        auto audiences = await(m_source.audiences());
        if (auto *stop = std::get_if<Stop>(&audiences))
            return *stop;
        bool found = false;
        for (const Audience &a : std::get<QList<Audience>>(audiences)) {
            if (a.id == audienceId) {
                m.audienceName = a.name;
                m_total = a.contacts;
                found = true;
            }
        }
        // Brevo and Klaviyo read the whole account when no list is named.
        if (!found && !audienceId.isEmpty()) {
            const QString platformName = TargetPlatforms::displayName(m_source.platform());
            return Stop(Error(
                tr("The %1 account has no audience with the id %2.").arg(platformName, audienceId),
                platformName,
                tr("Choose one of the account's audiences on the Connections step.")));
        }
    }

    // The folder: named by the start time, made unique if two backups start in one second.
    const QDir archive(BackupWriter::archiveFolder(projectPath));
    if (!archive.mkpath(u"."_s)) {
        return Stop(Error(tr("The archive folder could not be created."), archive.path(),
                          tr("Check that the project folder is writable.")));
    }
    const QString base = u"backup-"_s + m.started.toString(u"yyyyMMdd-HHmmss"_s);
    QString name = base;
    for (int n = 2; archive.exists(name); ++n)
        name = base + u'-' + QString::number(n);
    if (!archive.mkdir(name)) {
        return Stop(Error(tr("The backup folder could not be created."), archive.filePath(name),
                          tr("Check that the project folder is writable.")));
    }
    folder = archive.filePath(name);
    m.folder = folder;
    qCInfo(lcBackup) << "backup into" << folder;

    if (auto stop = writeContacts(audienceId, m))
        return *stop;
    if (features.testFlag(F::Fields)) {
        if (auto stop = writeFields(audienceId, m))
            return *stop;
    } else {
        m.skipped.append(u"fields"_s);
    }
    if (features.testFlag(F::Templates)) {
        if (auto stop = writeTemplates(m))
            return *stop;
    } else {
        m.skipped.append(u"templates"_s);
    }
    if (features.testFlag(F::Campaigns)) {
        if (auto stop = writeCampaigns(m))
            return *stop;
    } else {
        m.skipped.append(u"campaigns"_s);
    }
    if (m_promise.isCanceled())
        return Stop();

    // The manifest last, atomically: its presence is what makes the backup finished.
    m.finished = QDateTime::currentDateTimeUtc();
    QSaveFile manifest(QDir(folder).filePath(BackupManifest::kFileName));
    if (!manifest.open(QIODevice::WriteOnly)
        || manifest.write(QJsonDocument(m.toJson()).toJson(QJsonDocument::Indented)) < 0
        || !manifest.commit()) {
        return Stop(Error(
            tr("The backup manifest could not be written (%1).").arg(manifest.errorString()),
            manifest.fileName(), tr("Check that the disk has room and the folder is writable.")));
    }
    // A cancel that came while the manifest was written still leaves nothing behind.
    if (m_promise.isCanceled())
        return Stop();
    return m;
}

std::optional<Stop> BackupRun::writeContacts(const QString &audienceId, BackupManifest &m)
{
    BackupFileSink sink(folder, BackupFormat::kContacts);
    if (Status s = sink.open(); !s)
        return Stop(s.error());
    qint64 done = 0;
    report(0, true);
    ContactQuery query;
    query.pageSize = m_options.pageSize;
    do {
        m_promise.suspendIfRequested(); // Pause: between pages, with nothing in flight
        if (m_promise.isCanceled())
            return Stop();
        auto answer = await(m_source.contacts(audienceId, query));
        if (auto *stop = std::get_if<Stop>(&answer))
            return *stop;
        const ContactPage page = std::get<ContactPage>(std::move(answer));
        if (m_total < 0)
            m_total = page.total;
        for (const SourceContact &c : page.contacts) {
            if (Status s = sink.writeLine(BackupFormat::contactJson(c)); !s)
                return Stop(s.error());
            ++m.contactsByStatus[c.status];
        }
        done += page.contacts.size();
        if (!page.next.isEmpty() && page.next == query.cursor) {
            return Stop(Error(tr("%1 returned the same page twice.")
                                  .arg(TargetPlatforms::displayName(m_source.platform())),
                              BackupFormat::kContacts, tr("Try the backup again later.")));
        }
        query.cursor = page.next;
        // Every page after the first is rate-limited to ten reports a second.
        report(done, done == page.contacts.size() || query.cursor.isEmpty());
    } while (!query.cursor.isEmpty());
    if (m_promise.isCanceled())
        return Stop();
    if (Status s = sink.commit(); !s)
        return Stop(s.error());
    m.files.append(entryOf(sink));
    return std::nullopt;
}

std::optional<Stop> BackupRun::writeFields(const QString &audienceId, BackupManifest &m)
{
    auto answer = await(m_source.fields(audienceId));
    if (auto *stop = std::get_if<Stop>(&answer))
        return *stop;
    const auto &fields = std::get<QList<FieldDefinition>>(answer);
    QJsonArray array;
    for (const FieldDefinition &f : fields)
        array.append(BackupFormat::fieldJson(f));
    BackupFileSink sink(folder, BackupFormat::kFields);
    if (Status s = sink.open(); !s)
        return Stop(s.error());
    if (Status s = sink.write(QJsonDocument(array).toJson(QJsonDocument::Indented), array.size());
        !s)
        return Stop(s.error());
    if (Status s = sink.commit(); !s)
        return Stop(s.error());
    m.files.append(entryOf(sink));
    return std::nullopt;
}

std::optional<Stop> BackupRun::writeTemplates(BackupManifest &m)
{
    auto answer = await(m_source.templates());
    if (auto *stop = std::get_if<Stop>(&answer))
        return *stop;
    BackupFileSink sink(folder, BackupFormat::kTemplates);
    if (Status s = sink.open(); !s)
        return Stop(s.error());
    // One template's HTML at a time.
    for (const TemplateInfo &t : std::get<QList<TemplateInfo>>(answer)) {
        if (m_promise.isCanceled())
            return Stop();
        auto content = await(m_source.templateContent(t.id));
        if (auto *stop = std::get_if<Stop>(&content))
            return *stop;
        TemplateInfo full = t;
        full.html = std::get<TemplateInfo>(content).html;
        if (full.subject.isEmpty())
            full.subject = std::get<TemplateInfo>(content).subject;
        if (Status s = sink.writeLine(BackupFormat::templateJson(full)); !s)
            return Stop(s.error());
    }
    if (Status s = sink.commit(); !s)
        return Stop(s.error());
    m.files.append(entryOf(sink));
    return std::nullopt;
}

std::optional<Stop> BackupRun::writeCampaigns(BackupManifest &m)
{
    auto answer = await(m_source.campaigns(QDateTime()));
    if (auto *stop = std::get_if<Stop>(&answer))
        return *stop;
    BackupFileSink sink(folder, BackupFormat::kCampaigns);
    if (Status s = sink.open(); !s)
        return Stop(s.error());
    for (const CampaignInfo &c : std::get<QList<CampaignInfo>>(answer)) {
        if (Status s = sink.writeLine(BackupFormat::campaignJson(c)); !s)
            return Stop(s.error());
    }
    if (Status s = sink.commit(); !s)
        return Stop(s.error());
    m.files.append(entryOf(sink));
    return std::nullopt;
}

} // namespace

QString BackupWriter::archiveFolder(const QString &projectPath)
{
    const QFileInfo project(projectPath);
    return project.absoluteDir().filePath(project.completeBaseName() + u".archive"_s);
}

void BackupWriter::run(QPromise<Result<BackupManifest>> &promise, SourceConnector &source,
                       const QString &audienceId, const QString &projectPath,
                       const BackupOptions &options)
{
    promise.start();
    BackupRun run(promise, source, options);
    auto outcome = run.go(audienceId, projectPath);
    if (auto *m = std::get_if<BackupManifest>(&outcome)) {
        qCInfo(lcBackup) << "backup finished:" << m->contacts() << "contacts";
        promise.addResult(Result<BackupManifest>(std::move(*m)));
        return;
    }
    // Failed or cancelled: nothing half-written stays behind.
    if (!run.folder.isEmpty()) {
        QDir(run.folder).removeRecursively();
        QDir().rmdir(archiveFolder(projectPath)); // only when empty
    }
    const Stop &stop = std::get<Stop>(outcome);
    if (stop) {
        qCWarning(lcBackup) << "backup failed:" << stop->summary();
        promise.addResult(Result<BackupManifest>(*stop));
    } else {
        qCInfo(lcBackup) << "backup cancelled";
    }
}

QFuture<Result<BackupManifest>> BackupWriter::start(SourceConnector &source,
                                                    const QString &audienceId,
                                                    const QString &projectPath,
                                                    const BackupOptions &options)
{
    return QtConcurrent::run(jobPool(), [&source, audienceId, projectPath,
                                         options](QPromise<Result<BackupManifest>> &promise) {
        run(promise, source, audienceId, projectPath, options);
    });
}
