// Benchmark: the transfer engine (issue 5) end to end against the sandbox, printing throughput.
//
//   bench_transfer [--contacts N] [--targets brevo,klaviyo,mailchimp] [--verify readback,none]
//                  [--limited N] [--limited-targets klaviyo,brevo,mailchimp] [--latency MS]
//                  [--no-parts] [--journal N]
//
// Part 1 ("unlimited", skipped with --contacts 0): a synthetic verified backup of N contacts
// (default 1,000,000: 85 % subscribed, the rest unsubscribed, cleaned, complained, pending and
// transactional, with names, a number, a date and tags) is written straight into a backup folder
// (BackupFileSink, BackupManifest) and journaled as a finished backup run, so no time goes into
// reading Mailchimp. Then, for each target and verify mode, on a fresh sandbox and project: setup,
// suppressions (wave 0) and the subscriber wave, auto-approved, each on a thread of its own as the
// TransferController runs it, over a NetworkThread whose RateLimiter limits nothing and a sandbox
// that enforces nothing. Per stage: contacts, seconds,
// contacts/s, HTTP requests the target's sandbox received, peak RSS (VmHWM, reset before the
// stage). Unless --no-parts, the engine's local work is also timed alone: pass 1 (the wave
// assignment, before any sandbox ran, with the memory it adds), verifying the backup, reading it
// and translating every contact, and journaling the same number of contacts (planBatch +
// completeBatch, in batches of the target's size, the addresses in a scattered order as a wave's
// are) into a fresh project; what is left of a stage's time is the connector and the sandbox.
// --journal N times only that journaling, for N contacts in Klaviyo's batches, and exits.
// Target: >= 50,000 contacts/s.
//
// Part 2 (--limited N): the same with N contacts, verify none, the platform's rate limits on both
// sides (the sandbox enforcing them, the client pacing by RateLimiter::withPlatformDefaults; with
// --latency MS every sandbox answer comes that much later) and prints each wave's contacts/s
// against the ceiling the limits allow for the requests the connector made: Klaviyo's fixed
// per-operation windows, Mailchimp's 10 connections. Target: >= 90 % of the ceiling.
//
// Defaults: --contacts 1000000 --targets klaviyo --verify readback,none, no limited part,
// --limited-targets klaviyo,mailchimp, --latency 0. Brevo is left out of the 1M run by default:
// its connector reads back, per batch, every contact of the list changed in the last 15 minutes,
// so a run grows with the square of its size (see README, Benchmarks).
//
// Built by default; ctest runs only a small smoke run (label "bench"). The full runs (about 9 and
// 2.5 minutes on 2 cores; see README for the figures):
//   QT_QPA_PLATFORM=offscreen build/tests/bench/bench_transfer --contacts 1000000 --verify none,readback
//   QT_QPA_PLATFORM=offscreen build/tests/bench/bench_transfer --contacts 0 --limited 200000
//       --limited-targets klaviyo
//   QT_QPA_PLATFORM=offscreen build/tests/bench/bench_transfer --contacts 0 --limited 20000
//       --limited-targets mailchimp --latency 100

#include "assessment/inventory.h"
#include "connectors/connector.h"
#include "connectors/fieldmapping.h"
#include "connectors/transport/networkthread.h"
#include "contacts/emailaddress.h"
#include "sandbox/brevosandbox.h"
#include "sandbox/klaviyosandbox.h"
#include "sandbox/mailchimpsandbox.h"
#include "sandbox/sandboxhost.h"
#include "store/projectstore.h"
#include "transfer/backupcontactstream.h"
#include "transfer/backupformat.h"
#include "transfer/backupmanifest.h"
#include "transfer/backupreader.h"
#include "transfer/contacttranslator.h"
#include "transfer/transferengine.h"
#include "transfer/transferjournal.h"
#include "transfer/transfermemo.h"
#include "transfer/waveassignment.h"

#include <QCoreApplication>
#include <QDir>
#include <QElapsedTimer>
#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QSaveFile>
#include <QTemporaryDir>
#include <QTextStream>
#include <QThread>

#include <sys/resource.h>

#include <cmath>
#include <cstdio>
#include <numeric>
#include <random>

using namespace Qt::StringLiterals;

namespace {

QTextStream &out()
{
    static QTextStream s(stdout);
    return s;
}

[[noreturn]] void die(const QString &what)
{
    QTextStream(stderr) << "bench_transfer: " << what << Qt::endl;
    std::exit(1);
}

qint64 peakRssKb()
{
    QFile status(u"/proc/self/status"_s);
    if (!status.open(QIODevice::ReadOnly))
        return -1;
    for (const QByteArray &line : status.readAll().split('\n')) {
        if (line.startsWith("VmHWM:"))
            return line.mid(6).trimmed().split(' ').first().toLongLong();
    }
    return -1;
}

void resetPeakRss()
{
    QFile clear(u"/proc/self/clear_refs"_s);
    if (clear.open(QIODevice::WriteOnly))
        clear.write("5");
}

double cpuSeconds()
{
    rusage u{};
    getrusage(RUSAGE_SELF, &u);
    return double(u.ru_utime.tv_sec + u.ru_stime.tv_sec) + double(u.ru_utime.tv_usec + u.ru_stime.tv_usec) / 1e6;
}

QString num(double v, int decimals = 0)
{
    return QString::number(v, 'f', decimals);
}

const char *const kFirst[] = {"Anna", "Björn", "Chloé", "Dmitri", "Emma", "Farid", "Greta", "Hiro", "Inès", "José"};
const char *const kLast[] = {"Andersen", "Brown", "Costa", "Dubois", "Evans", "Fischer", "García", "Hansen"};
const char *const kTags[] = {"Customer", "VIP", "Newsletter", "Spring Sale 2026"};

/// Mailchimp merge fields of the synthetic audience.
QList<FieldDefinition> sourceFields()
{
    auto f = [](const char *key, const char *label, FieldType type, const char *format = "") {
        FieldDefinition d;
        d.key = QString::fromLatin1(key);
        d.label = QString::fromLatin1(label);
        d.type = type;
        d.format = QString::fromLatin1(format);
        return d;
    };
    return {f("FNAME", "First Name", FieldType::Text), f("LNAME", "Last Name", FieldType::Text),
            f("POINTS", "Loyalty points", FieldType::Number), f("JOINED", "Joined", FieldType::Date, "YYYY-MM-DD")};
}

/// The field mapping the wizard suggests for those fields and the tags.
QList<FieldMappingRow> mappingFor(TargetPlatform target)
{
    QList<InventoryField> fields;
    for (const FieldDefinition &d : sourceFields())
        fields.append(InventoryField{d.label, d.type, 1, true});
    fields.append(InventoryField{u"TAGS"_s, FieldType::Tags, 1, false});
    return FieldMapping::suggest(fields, target);
}

struct Backup
{
    QString folder;
    qint64 contacts = 0;
    QHash<ContactStatus, qint64> byStatus;
    double seconds = 0;
    qint64 bytes = 0;
};

/// A verified backup of `count` synthetic contacts, written as BackupWriter writes one.
Backup writeBackup(const QString &folder, qint64 count)
{
    QElapsedTimer timer;
    timer.start();
    QDir().mkpath(folder);
    Backup b;
    b.folder = folder;
    b.contacts = count;
    BackupManifest m;
    m.platform = u"mailchimp"_s;
    m.accountId = u"bench"_s;
    m.accountName = u"Bench account"_s;
    m.audienceId = u"bench"_s;
    m.audienceName = u"Bench audience"_s;
    m.started = QDateTime::currentDateTimeUtc();
    const auto entry = [](const BackupFileSink &s) {
        return BackupFileEntry{s.name(), s.records(), s.bytes(), s.sha256()};
    };
    {
        BackupFileSink sink(folder, BackupFormat::kContacts);
        if (Status s = sink.open(); !s)
            die(s.error().toString());
        std::mt19937_64 rng(20261124);
        const QDateTime base(QDate(2020, 1, 1), QTime(9, 0), Qt::UTC);
        QByteArray buffer;
        qint64 records = 0;
        for (qint64 i = 0; i < count; ++i) {
            const auto r = rng();
            SourceContact c;
            c.email = u"user%1@example.com"_s.arg(i, 7, 10, QLatin1Char('0'));
            c.id = QString::number(i);
            // 85 % subscribed, 6 % unsubscribed, 3 % cleaned, 0.5 % complained, 3 % pending,
            // 2.5 % transactional (per mille of r).
            const int pm = int(r % 1000);
            c.status = pm < 850 ? ContactStatus::Subscribed
                : pm < 910      ? ContactStatus::Unsubscribed
                : pm < 940      ? ContactStatus::Cleaned
                : pm < 945      ? ContactStatus::Complained
                : pm < 975      ? ContactStatus::Pending
                                : ContactStatus::Transactional;
            c.platformStatus = ContactStatuses::key(c.status);
            c.fields.insert(u"FNAME"_s, QString::fromUtf8(kFirst[(r >> 10) % 10]));
            c.fields.insert(u"LNAME"_s, QString::fromUtf8(kLast[(r >> 14) % 8]));
            if ((r >> 17) % 3 != 0)
                c.fields.insert(u"POINTS"_s, QString::number((r >> 20) % 5000));
            c.fields.insert(u"JOINED"_s, base.date().addDays(qint64((r >> 32) % 2000)).toString(Qt::ISODate));
            const int tags = int((r >> 40) % 3);
            for (int t = 0; t < tags; ++t)
                c.tags.append(QString::fromLatin1(kTags[(r >> (44 + 2 * t)) % 4]));
            c.consent.optinTime = base.addSecs(qint64((r >> 24) % (86400 * 1500)));
            c.consent.optinIp = u"203.0.113.%1"_s.arg((r >> 50) % 255);
            if (c.status == ContactStatus::Subscribed)
                c.consent.confirmTime = c.consent.optinTime.addSecs(60);
            if (c.status == ContactStatus::Unsubscribed || c.status == ContactStatus::Cleaned
                || c.status == ContactStatus::Complained)
                c.consent.suppressionTime = c.consent.optinTime.addDays(200);
            c.language = u"en"_s;
            c.rating = int(1 + (r >> 56) % 5);
            c.lastChanged = c.consent.optinTime.addDays(10);
            buffer += QJsonDocument(BackupFormat::contactJson(c)).toJson(QJsonDocument::Compact);
            buffer += '\n';
            ++records;
            ++b.byStatus[c.status];
            if (buffer.size() > (1 << 20)) {
                if (Status s = sink.write(buffer, records); !s)
                    die(s.error().toString());
                buffer.clear();
                records = 0;
            }
        }
        if (Status s = sink.write(buffer, records); !s)
            die(s.error().toString());
        if (Status s = sink.commit(); !s)
            die(s.error().toString());
        m.files.append(entry(sink));
        b.bytes = sink.bytes();
    }
    {
        QJsonArray array;
        for (const FieldDefinition &f : sourceFields())
            array.append(BackupFormat::fieldJson(f));
        BackupFileSink sink(folder, BackupFormat::kFields);
        if (Status s = sink.open(); !s)
            die(s.error().toString());
        if (Status s = sink.write(QJsonDocument(array).toJson(QJsonDocument::Indented), array.size()); !s)
            die(s.error().toString());
        if (Status s = sink.commit(); !s)
            die(s.error().toString());
        m.files.append(entry(sink));
    }
    m.skipped = {u"templates"_s, u"campaigns"_s};
    m.contactsByStatus = b.byStatus;
    m.finished = QDateTime::currentDateTimeUtc();
    QSaveFile manifest(QDir(folder).filePath(BackupManifest::kFileName));
    if (!manifest.open(QIODevice::WriteOnly) || manifest.write(QJsonDocument(m.toJson()).toJson()) < 0
        || !manifest.commit())
        die(u"cannot write the manifest"_s);
    b.seconds = double(timer.nsecsElapsed()) / 1e9;
    return b;
}

/// A new project whose journal holds a finished backup run of `folder`.
QString newProject(const QString &dir, const QString &name, const QString &backupFolder)
{
    const QString path = QDir(dir).filePath(name + u".stagecoach"_s);
    auto store = ProjectStore::create(path, name);
    if (!store)
        die(store.error().toString());
    TransferJournal journal((*store)->database());
    Result<qint64> run = journal.beginRun(u"backup"_s, 0, false);
    if (!run)
        die(run.error().toString());
    if (Status s = journal.finishRun(*run, RunState::Finished, QJsonObject{{u"detail"_s, backupFolder}}); !s)
        die(s.error().toString());
    return path;
}

QList<WavePlan> wavesFor(const Backup &b)
{
    const qint64 subscribers = b.byStatus.value(ContactStatus::Subscribed);
    return {WavePlan{0, b.contacts - subscribers, {}}, WavePlan{1, subscribers, {}}};
}

struct StageFigures
{
    QString stage;
    qint64 contacts = 0;
    double seconds = 0;
    double cpu = 0;
    int requests = 0;
    int peakInFlight = 0; ///< the most requests the sandbox held at once so far (with latency)
    qint64 peakRssKb = 0;
    QHash<QString, int> klaviyoOps; ///< requests per Klaviyo operation id (Klaviyo only)
    StageOutcome outcome;
};

struct RunSpec
{
    TargetPlatform target = TargetPlatform::Brevo;
    VerifyMode verify = VerifyMode::ReadBack;
    bool limited = false;
    int latencyMs = 0; ///< added by the sandbox to every answer
};

QHash<QString, int> klaviyoOps(SandboxHost &host)
{
    QHash<QString, int> ops;
    host.inspect([&ops](MailchimpSandbox &, BrevoSandbox &, KlaviyoSandbox &k) { ops = k.operationCounts(); });
    return ops;
}

/// Setup, suppressions and wave 1 of `backup` into a fresh sandbox; figures per stage.
QList<StageFigures> runTransfer(const RunSpec &spec, const Backup &backup, const QString &dir, int index)
{
    SandboxHost host;
    SandboxHostOptions options;
    options.demoSeed = false;
    options.faults.latencyMs = spec.latencyMs;
    Result<QList<SandboxEndpoint>> endpoints = host.start(options);
    if (!endpoints)
        die(endpoints.error().toString());
    host.inspect([&spec](MailchimpSandbox &, BrevoSandbox &brevo, KlaviyoSandbox &klaviyo) {
        // Limited: 429s past Brevo's 10 a second and Klaviyo's windows. Unlimited: Brevo also
        // leaves out its x-sib-ratelimit headers, which the client would pace itself by (its
        // 100-an-hour class covers GET /processes, polled once per import).
        brevo.setEnforceRateLimit(spec.limited);
        brevo.setRateLimitHeaders(spec.limited);
        klaviyo.setRateLimitsEnforced(spec.limited);
    });
    const SandboxEndpoint source = *host.endpoint(TargetPlatform::Mailchimp);
    const SandboxEndpoint target = *host.endpoint(spec.target);

    TransferConfig config;
    config.projectPath = newProject(dir, u"bench-%1"_s.arg(index), backup.folder);
    config.source = ConnectionSettings{TargetPlatform::Mailchimp, source.apiKey, source.apiRoot};
    config.audienceId = u"bench"_s;
    config.target = ConnectionSettings{spec.target, target.apiKey, target.apiRoot};
    config.listName = u"Bench migration"_s;
    config.mapping = mappingFor(spec.target);
    config.waves = wavesFor(backup);
    config.verify = spec.verify;
    config.autoApprove = true;
    config.approver = u"bench_transfer"_s;
    config.memo = std::make_shared<TransferMemo>(); // as the TransferController keeps one a session

    // Unlimited: a RateLimiter without windows or a concurrency cap paces nothing.
    NetworkThread network(spec.limited ? RateLimiter::withPlatformDefaults() : RateLimiter());
    TransferEngine engine(config, network.client());
    TransferControl control;
    QList<StageFigures> figures;
    for (const StageRef &ref : config.stages()) {
        if (ref.stage == u"backup"_s)
            continue;
        resetPeakRss();
        const int requests0 = host.requestCount(spec.target);
        const QHash<QString, int> ops0 = klaviyoOps(host);
        const double cpu0 = cpuSeconds();
        QElapsedTimer timer;
        timer.start();
        // On a thread of its own, as the TransferController runs it (the engine lowers its
        // thread's priority; this thread starts the next target's sandbox and network threads).
        std::optional<Result<StageOutcome>> ran;
        std::unique_ptr<QThread> worker(QThread::create([&] { ran = engine.run(StageRequest{ref, false}, control); }));
        worker->start();
        worker->wait();
        Result<StageOutcome> outcome = std::move(*ran);
        StageFigures f;
        f.seconds = double(timer.nsecsElapsed()) / 1e9;
        f.cpu = cpuSeconds() - cpu0;
        f.requests = host.requestCount(spec.target) - requests0;
        f.peakInFlight = host.peakInFlight(spec.target);
        f.peakRssKb = peakRssKb();
        f.stage = ref.id();
        if (spec.target == TargetPlatform::Klaviyo) {
            const QHash<QString, int> ops = klaviyoOps(host);
            for (auto it = ops.cbegin(); it != ops.cend(); ++it) {
                if (it.value() > ops0.value(it.key()))
                    f.klaviyoOps.insert(it.key(), it.value() - ops0.value(it.key()));
            }
        }
        if (!outcome)
            die(ref.id() + u": "_s + outcome.error().toString());
        f.outcome = *outcome;
        f.contacts = ref.isWave() ? outcome->total : 0;
        if (outcome->state != RunState::Finished)
            die(ref.id() + u": "_s + outcome->message);
        if (ref.isWave() && outcome->written != outcome->total)
            die(u"%1: %2 written of %3"_s.arg(ref.id()).arg(outcome->written).arg(outcome->total));
        if (ref.isWave() && spec.verify == VerifyMode::ReadBack
            && (!outcome->verified || outcome->foundOnTarget != outcome->written))
            die(u"%1: not verified (%2 found of %3)"_s.arg(ref.id()).arg(outcome->foundOnTarget).arg(outcome->written));
        figures.append(f);
    }
    return figures;
}

void printFigures(const RunSpec &spec, const QList<StageFigures> &figures, double requiredRate)
{
    const QString target = TargetPlatforms::key(spec.target);
    const QString verify = spec.verify == VerifyMode::ReadBack ? u"readback"_s : u"none"_s;
    qint64 contacts = 0;
    double seconds = 0;
    int requests = 0;
    for (const StageFigures &f : figures) {
        out() << target << ',' << verify << ',' << f.stage << ',' << f.contacts << ',' << num(f.seconds, 2) << ','
              << num(f.cpu, 2) << ',' << (f.contacts ? num(double(f.contacts) / f.seconds) : u"-"_s) << ','
              << f.requests << ',' << num(double(f.peakRssKb) / 1024.0, 1) << '\n';
        contacts += f.contacts;
        seconds += f.seconds;
        requests += f.requests;
    }
    const double rate = double(contacts) / seconds;
    out() << target << ',' << verify << ",all," << contacts << ',' << num(seconds, 2) << ",," << num(rate) << ','
          << requests << ",\n";
    if (requiredRate > 0)
        out() << "# " << target << " verify=" << verify << ": " << num(rate) << " contacts/s, required "
              << num(requiredRate) << (rate >= requiredRate ? " (met)" : " (NOT met)") << '\n';
    out() << Qt::flush;
}

/// A wave stage's pass 1 alone (WaveAssignment::assignBackup, once a session): its time and the
/// peak RSS it adds, measured before any sandbox has run in this process.
void timeAssignment(const Backup &b, TargetPlatform target)
{
    const qint64 before = peakRssKb();
    resetPeakRss();
    QElapsedTimer timer;
    timer.start();
    const Result<std::optional<WaveAssignmentResult>> made
        = WaveAssignment::assignBackup(b.folder, wavesFor(b), {}, target);
    if (!made || !made->has_value())
        die(made ? u"the assignment was cancelled"_s : made.error().toString());
    const double seconds = double(timer.nsecsElapsed()) / 1e9;
    const qint64 peak = peakRssKb();
    out() << "# wave assignment (pass 1) for " << TargetPlatforms::key(target) << ", " << b.contacts
          << " contacts: " << num(seconds, 2) << " s (" << num(double(b.contacts) / seconds)
          << "/s); peak RSS " << num(double(peak) / 1024.0, 1) << " MB (" << num(double(before) / 1024.0, 1)
          << " MB before: " << num(double(peak - before) * 1024.0 / double(std::max<qint64>(1, b.contacts)), 0)
          << " bytes a contact)\n"
          << Qt::flush;
}

/// The engine's local work alone: verifying the backup, reading it once, and reading and
/// translating every contact.
void timeLocalWork(const Backup &b, TargetPlatform target)
{
    QElapsedTimer timer;
    timer.start();
    const Result<BackupManifest> verified = BackupReader::verify(b.folder);
    if (!verified)
        die(verified.error().toString());
    const double verifySeconds = double(timer.nsecsElapsed()) / 1e9;

    timer.restart();
    qint64 n = 0;
    {
        BackupContactStream stream(b.folder);
        if (Status s = stream.open(); !s)
            die(s.error().toString());
        while (true) {
            Result<std::optional<SourceContact>> next = stream.next();
            if (!next || !next->has_value())
                break;
            ++n;
        }
    }
    const double readSeconds = double(timer.nsecsElapsed()) / 1e9;

    timer.restart();
    const ContactTranslator translator(target, mappingFor(target), sourceFields());
    qint64 translated = 0;
    {
        BackupContactStream stream(b.folder);
        if (Status s = stream.open(); !s)
            die(s.error().toString());
        while (true) {
            Result<std::optional<SourceContact>> next = stream.next();
            if (!next || !next->has_value())
                break;
            if (translator.translate(**next))
                ++translated;
        }
    }
    const double translateSeconds = double(timer.nsecsElapsed()) / 1e9 - readSeconds;
    out() << "# local work, " << n << " contacts: verify the backup (hash + count) " << num(verifySeconds, 2)
          << " s; read it " << num(readSeconds, 2) << " s (" << num(double(n) / readSeconds)
          << "/s; pass 1 reads it once a session, each wave once more, parsing only its own lines); translate for " << TargetPlatforms::key(target) << ' '
          << num(translateSeconds, 2) << " s (" << num(double(translated) / translateSeconds) << "/s)\n"
          << Qt::flush;
}

/// The journal alone: planBatch + completeBatch for `count` emails in batches of `batch`, in a
/// scattered order of the addresses (a wave's order is by engagement, not by address).
void timeJournal(const QString &dir, qint64 count, int batch)
{
    // i -> i * step mod count visits every index once when step and count share no factor.
    qint64 step = 999983; // a prime
    while (count > 1 && std::gcd(step, count) != 1)
        step += 2;
    const QString path = QDir(dir).filePath(u"journal-only.stagecoach"_s);
    auto store = ProjectStore::create(path, u"journal"_s);
    if (!store)
        die(store.error().toString());
    TransferJournal journal((*store)->database());
    Result<qint64> run = journal.beginRun(u"wave"_s, 1, false);
    if (!run)
        die(run.error().toString());
    QElapsedTimer timer;
    timer.start();
    double planSeconds = 0;
    for (qint64 at = 0; at < count; at += batch) {
        QStringList keys;
        for (qint64 i = at; i < std::min(count, at + batch); ++i)
            keys.append(u"user%1@example.com"_s.arg((i * step) % count, 7, 10, QLatin1Char('0')));
        QElapsedTimer plan;
        plan.start();
        Result<PlannedBatch> planned = journal.planBatch(*run, keys);
        if (!planned)
            die(planned.error().toString());
        planSeconds += double(plan.nsecsElapsed()) / 1e9;
        BatchResult result;
        result.written = planned->planned.size();
        if (Status s = journal.completeBatch(planned->batchId, result); !s)
            die(s.error().toString());
    }
    const double seconds = double(timer.nsecsElapsed()) / 1e9;
    out() << "# journal alone, " << count << " contacts in batches of " << batch << ": " << num(seconds, 2)
          << " s (" << num(double(count) / seconds) << "/s; planBatch " << num(planSeconds, 2)
          << " s, completeBatch " << num(seconds - planSeconds, 2) << " s)\n"
          << Qt::flush;
}

/// Klaviyo's per-operation windows (x-klaviyo-ratelimit in specs/klaviyo/stable.json, as the
/// sandbox enforces them: fixed windows of a second and a minute).
struct KlaviyoLimit
{
    const char *operation;
    int burst;
    int steady;
};
constexpr KlaviyoLimit kKlaviyoLimits[] = {
    {"get_profiles", 75, 750},          {"get_profiles_for_list", 75, 750},
    {"bulk_import_profiles", 10, 150},  {"get_bulk_import_profiles_job", 10, 150},
    {"bulk_subscribe_profiles", 75, 750}, {"bulk_unsubscribe_profiles", 75, 750},
    {"bulk_suppress_profiles", 75, 750}, {"get_bulk_suppress_profiles_job", 75, 750},
    {"get_errors_for_bulk_import_profiles_job", 10, 150},
};

/// What Klaviyo's limits allow a stage that made `f.klaviyoOps` requests for `f.contacts`
/// contacts. Steady: per operation, its per-minute quota divided by the requests it took per
/// contact, the lowest wins (a long run). This run: the least time the sandbox's fixed windows
/// (a minute's quota per minute from the first request, at most `burst` a second) need for the
/// requests the stage made, per operation, the longest wins; the ceiling is the stage's contacts
/// in that time, and achieved / ceiling is that time / the time the stage took.
void printKlaviyoCeiling(const StageFigures &f)
{
    double steady = 1e18, leastSeconds = 0;
    QString steadyBy, leastBy;
    for (auto it = f.klaviyoOps.cbegin(); it != f.klaviyoOps.cend(); ++it) {
        for (const KlaviyoLimit &l : kKlaviyoLimits) {
            if (it.key() != QLatin1String(l.operation))
                continue;
            const int n = it.value();
            const double perContact = double(n) / double(f.contacts);
            const double s = double(l.steady) / 60.0 / perContact;
            const int fullWindows = (n - 1) / l.steady;
            const double least = 60.0 * fullWindows + double(n - fullWindows * l.steady) / double(l.burst);
            out() << "#   " << it.key() << ": " << n << " requests (" << num(1.0 / perContact, 1)
                  << " contacts each), limit " << l.burst << "/s " << l.steady << "/min: steady ceiling " << num(s)
                  << " contacts/s, these requests need at least " << num(least, 1) << " s\n";
            if (s < steady) {
                steady = s;
                steadyBy = it.key();
            }
            if (least > leastSeconds) {
                leastSeconds = least;
                leastBy = it.key();
            }
        }
    }
    const double achieved = double(f.contacts) / f.seconds;
    const double ceiling = double(f.contacts) / leastSeconds;
    out() << "# klaviyo " << f.stage << ": achieved " << num(achieved) << " contacts/s in " << num(f.seconds, 1)
          << " s; the limits allow " << num(ceiling) << " contacts/s for this run (" << leastBy << " needs "
          << num(leastSeconds, 1) << " s): " << num(100.0 * achieved / ceiling, 1) << " % (required 90 %); steady ceiling "
          << num(steady) << " (" << steadyBy << "), " << num(100.0 * achieved / steady, 1) << " %\n"
          << Qt::flush;
}

/// Mailchimp limits connections, not requests: 10 at once per key. No request is answered
/// sooner than the sandbox's latency, so 10 connections allow at most 10 requests per latency;
/// with this run's contacts per request that is the ceiling (an upper bound: the sandbox's and
/// the engine's own time come on top). Without latency the bound is this run's request rate
/// times 10, as if the requests had gone one at a time.
void printMailchimpCeiling(const StageFigures &f, int latencyMs)
{
    const double achieved = double(f.contacts) / f.seconds;
    const double perRequest = latencyMs > 0 ? latencyMs / 1000.0 : f.seconds / f.requests;
    const double ceiling = 10.0 * (double(f.contacts) / f.requests) / perRequest;
    out() << "# mailchimp " << f.stage << ": achieved " << num(achieved) << " contacts/s; " << f.requests
          << " requests, " << num(double(f.contacts) / f.requests, 1) << " contacts each, none answered in under "
          << num(perRequest * 1000.0, 1) << " ms; 10 connections allow " << num(ceiling) << " contacts/s: "
          << num(100.0 * achieved / ceiling, 1) << " % (required 90 %); at most " << f.peakInFlight
          << " requests in flight at once\n"
          << Qt::flush;
}

QList<TargetPlatform> platformsFrom(const QString &list)
{
    QList<TargetPlatform> platforms;
    for (const QString &key : list.split(u',', Qt::SkipEmptyParts)) {
        const std::optional<TargetPlatform> p = TargetPlatforms::fromKey(key.trimmed().toLower());
        if (!p)
            die(u"unknown platform "_s + key);
        platforms.append(*p);
    }
    return platforms;
}

int batchOf(TargetPlatform p)
{
    switch (p) {
    case TargetPlatform::Mailchimp:
        return 500;
    case TargetPlatform::Brevo:
        return 5000;
    case TargetPlatform::Klaviyo:
        return 1000;
    }
    return 1000;
}

} // namespace

int main(int argc, char *argv[])
{
    QCoreApplication app(argc, argv);
    const QStringList args = app.arguments().mid(1);
    const auto value = [&args](const QString &name, const QString &fallback) {
        const qsizetype at = args.indexOf(name);
        return at >= 0 && at + 1 < args.size() ? args.at(at + 1) : fallback;
    };
    const qint64 contacts = value(u"--contacts"_s, u"1000000"_s).toLongLong();
    const QList<TargetPlatform> targets = platformsFrom(value(u"--targets"_s, u"klaviyo"_s));
    QList<VerifyMode> verifies;
    for (const QString &v : value(u"--verify"_s, u"readback,none"_s).split(u',', Qt::SkipEmptyParts))
        verifies.append(v == u"none"_s ? VerifyMode::None : VerifyMode::ReadBack);
    const qint64 limited = value(u"--limited"_s, u"0"_s).toLongLong();
    const QList<TargetPlatform> limitedTargets = platformsFrom(value(u"--limited-targets"_s, u"klaviyo,mailchimp"_s));
    const bool parts = !args.contains(u"--no-parts"_s);
    const int latencyMs = value(u"--latency"_s, u"0"_s).toInt();

    QTemporaryDir dir;
    if (!dir.isValid())
        die(u"no temporary folder"_s);
    int index = 0;

    // --journal N: only the journal's part, for N contacts in batches of Klaviyo's size.
    if (const qint64 journalOnly = value(u"--journal"_s, u"0"_s).toLongLong(); journalOnly > 0) {
        timeJournal(dir.path(), journalOnly, batchOf(TargetPlatform::Klaviyo));
        return 0;
    }

    if (contacts > 0) {
        resetPeakRss();
        const Backup backup = writeBackup(dir.filePath(u"backup-unlimited"_s), contacts);
        out() << "# synthetic backup: " << backup.contacts << " contacts, " << num(double(backup.bytes) / 1e6, 1)
              << " MB in " << num(backup.seconds, 2) << " s (" << num(double(backup.contacts) / backup.seconds)
              << "/s); subscribed " << backup.byStatus.value(ContactStatus::Subscribed) << ", peak RSS "
              << num(double(peakRssKb()) / 1024.0, 1) << " MB\n";
        if (parts) {
            for (const TargetPlatform target : targets)
                timeAssignment(backup, target);
        }
        out() << "target,verify,stage,contacts,seconds,cpu_seconds,contacts_per_s,requests,peak_rss_MB\n" << Qt::flush;
        for (const TargetPlatform target : targets) {
            for (const VerifyMode verify : verifies) {
                const RunSpec spec{target, verify, false};
                printFigures(spec, runTransfer(spec, backup, dir.path(), ++index), 50000);
            }
            if (parts) {
                timeLocalWork(backup, target);
                timeJournal(dir.path(), backup.contacts, batchOf(target));
            }
        }
    }

    if (limited > 0) {
        const Backup backup = writeBackup(dir.filePath(u"backup-limited"_s), limited);
        out() << "# rate-limited runs: " << limited << " contacts, verify none, sandbox latency " << latencyMs
              << " ms\n";
        out() << "target,verify,stage,contacts,seconds,cpu_seconds,contacts_per_s,requests,peak_rss_MB\n" << Qt::flush;
        for (const TargetPlatform target : limitedTargets) {
            const RunSpec spec{target, VerifyMode::None, true, latencyMs};
            const QList<StageFigures> figures = runTransfer(spec, backup, dir.path(), ++index);
            printFigures(spec, figures, 0);
            for (const StageFigures &f : figures) {
                if (target == TargetPlatform::Klaviyo && f.contacts > 0)
                    printKlaviyoCeiling(f);
                if (target == TargetPlatform::Mailchimp && f.contacts > 0 && f.requests > 0)
                    printMailchimpCeiling(f, latencyMs);
                if (f.stage != u"wave-1"_s)
                    continue;
                const double perRequest = f.requests ? double(f.contacts) / f.requests : 0;
                out() << "# " << TargetPlatforms::key(target) << " wave-1: " << num(double(f.contacts) / f.seconds)
                      << " contacts/s with " << num(perRequest, 1) << " contacts per request, "
                      << num(double(f.requests) / f.seconds, 2) << " requests/s\n"
                      << Qt::flush;
            }
        }
    }
    return 0;
}
