#include "plan/timelinegenerator.h"

#include "assessment/inventory.h"

#include <QLocale>

namespace {

QString number(qint64 n)
{
    return QLocale().toString(n);
}

Stage makeStage(StageKind kind, const QString &key, const QString &title, int days, const QStringList &deps,
                const QString &owner, const QString &entry, const QString &exit)
{
    Stage s;
    s.kind = kind;
    s.key = key;
    s.title = title;
    s.durationDays = days;
    s.milestone = days == 0;
    s.dependsOn = deps;
    s.owner = owner;
    s.entryCriteria = entry;
    s.exitCriteria = exit;
    return s;
}

} // namespace

qint64 TimelineGenerator::engagedContacts(const Inventory &inventory)
{
    const Engagement &e = inventory.engagement;
    if (e.ratingAvailable)
        return e.rating[4] + e.rating[5];
    if (e.lastChangedAvailable)
        return e.lastChanged[Engagement::Within30Days] + e.lastChanged[Engagement::Days31To90];
    return -1;
}

QList<WavePlan> TimelineGenerator::planWaves(const Inventory *inventory)
{
    QList<WavePlan> waves;
    WavePlan zero;
    zero.number = 0;
    zero.contacts = inventory ? inventory->suppressions() : 0;
    zero.basis = tr("Every unsubscribed, cleaned and complained contact, written as suppressed before any subscriber.");
    waves.append(zero);

    if (!inventory) {
        waves.append({1, 0, tr("No assessment yet: the wave sizes follow from the contact count.")});
        return waves;
    }

    // Contacts that are neither subscribed nor suppressed (pending, transactional, archived,
    // unknown) are written without a subscription, with the last wave.
    const qint64 subscribed = inventory->count(ContactStatus::Subscribed);
    const qint64 others = inventory->total - subscribed - zero.contacts;
    if (subscribed <= kSingleWaveLimit) {
        QString basis = tr("%1 subscribers: few enough for one wave.").arg(number(subscribed));
        if (others > 0)
            basis += u' ' + tr("With %1 contacts written without a subscription (pending, transactional, archived or unknown).").arg(number(others));
        waves.append({1, subscribed + qMax<qint64>(0, others), basis});
        return waves;
    }

    const qint64 engaged = engagedContacts(*inventory);
    qint64 size = qBound(kFirstWaveMin, engaged >= 0 ? engaged : subscribed / 10, kFirstWaveMax);
    QString firstBasis = engaged >= 0
        ? tr("The most engaged subscribers first (%1 engaged, kept between %2 and %3): they open and click, which builds the new sender's reputation.")
              .arg(number(engaged), number(kFirstWaveMin), number(kFirstWaveMax))
        : tr("A tenth of the subscribers (kept between %1 and %2): the export holds no engagement figures, so the order is the export's.")
              .arg(number(kFirstWaveMin), number(kFirstWaveMax));
    qint64 left = subscribed;
    int n = 1;
    while (left > 0) {
        const qint64 take = qMin(left, size);
        left -= take;
        WavePlan w;
        w.number = n;
        w.contacts = take;
        w.basis = n == 1 ? firstBasis
                         : tr("Double the wave before (at most %1), less engaged subscribers next.").arg(number(kWaveMax));
        // A last sliver under half a wave joins this one rather than waiting for a day of its own.
        if (left > 0 && left < size / 2) {
            w.contacts += left;
            left = 0;
        }
        waves.append(w);
        size = qMin(size * 2, kWaveMax);
        ++n;
    }
    if (others > 0) {
        waves.last().contacts += others;
        waves.last().basis += u' ' + tr("With %1 contacts written without a subscription (pending, transactional, archived or unknown).").arg(number(others));
    }
    return waves;
}

Timeline TimelineGenerator::generate(const Inventory *inventory, const QMap<AssetKind, int> &assets, const QDate &start)
{
    Timeline t;
    t.start = WorkingDays::onOrAfter(start.isValid() ? start : QDate::currentDate());
    const qint64 total = inventory ? inventory->total : 0;

    const QString owner = tr("Migration owner");
    const QString marketer = tr("Email marketer");
    const QString developer = tr("Developer");
    const QString designer = tr("Designer");

    // Backup: a day, plus a day per half million contacts to export, check and read back.
    t.stages.append(makeStage(StageKind::Backup, QStringLiteral("backup"), tr("Backup"), 1 + int(total / 500000), {}, owner,
                              tr("Access to the source account\nPlan approved"),
                              tr("Every audience exported in every status\nCounts and checksums recorded\nBackup read back and verified")));
    // Setup: domain authentication waits for DNS, so it takes days whatever the size.
    t.stages.append(makeStage(StageKind::InitialSetup, QStringLiteral("setup"), tr("Initial setup"), 3, {QStringLiteral("backup")}, developer,
                              tr("Verified backup\nTarget account and API key"),
                              tr("Sending domain authenticated (SPF, DKIM, DMARC)\nLists and fields created, including consent evidence\nDouble opt-in off for imports")));

    const QList<WavePlan> waves = planWaves(inventory);
    QString previous = QStringLiteral("setup");
    for (const WavePlan &w : waves) {
        const QString key = QStringLiteral("wave-%1").arg(w.number);
        Stage s;
        if (w.number == 0) {
            s = makeStage(StageKind::SuppressionWave, key, tr("Wave 0: suppressions"), 1, {previous}, marketer,
                          tr("Initial setup complete\nMapping of statuses reviewed"),
                          tr("Every suppression on the target as unsubscribed or blocklisted\nCount verified against the backup\nNo subscriber written yet"));
        } else {
            // One day to write and verify, one to watch bounces and complaints before the next wave.
            s = makeStage(StageKind::SubscriberWave, key, tr("Wave %1: subscribers").arg(w.number), 2, {previous}, marketer,
                          tr("Previous wave verified and approved\nBounce and complaint rates within the objectives"),
                          tr("Wave written and its count verified\nRejected records in the error report\nBounce and complaint rates watched for 48 hours"));
        }
        s.contacts = w.contacts;
        s.notes = w.basis;
        t.stages.append(s);
        previous = key;
    }
    const QString lastWave = previous;

    const int templates = assets.value(AssetKind::Template) + assets.value(AssetKind::Campaign) / 10;
    t.stages.append(makeStage(StageKind::Templates, QStringLiteral("templates"), tr("Templates and history"),
                              qBound(2, 2 + templates / 5, 15), {QStringLiteral("setup")}, designer,
                              tr("Target account set up\nTemplates to migrate decided"),
                              tr("Templates rebuilt with the target's merge tags\nTest sends approved\nCampaign reports archived")));
    const int integrations = assets.value(AssetKind::Integration) + assets.value(AssetKind::Automation) / 2;
    t.stages.append(makeStage(StageKind::Integration, QStringLiteral("integration"), tr("Integration"),
                              qBound(3, 3 + integrations, 20), {QStringLiteral("setup")}, developer,
                              tr("Target account set up\nIntegrations inventoried"),
                              tr("Signup forms, CRM and shop write to the target\nUnsubscribes flow back to the CRM\nAutomations rebuilt")));
    t.stages.append(makeStage(StageKind::Testing, QStringLiteral("testing"), tr("Testing"), 3,
                              {QStringLiteral("templates"), QStringLiteral("integration"), QStringLiteral("wave-1")}, marketer,
                              tr("Templates and integrations done\nFirst subscriber wave verified"),
                              tr("Seed tests land in the inbox\nForms, unsubscribe links and automations work end to end")));
    t.stages.append(makeStage(StageKind::Training, QStringLiteral("training"), tr("Staff training"), 2, {QStringLiteral("templates")}, owner,
                              tr("Templates available on the target"),
                              tr("Everyone who sends has sent a test campaign on the target")));
    t.stages.append(makeStage(StageKind::GoLive, QStringLiteral("golive"), tr("Go-live"), 0,
                              {lastWave, QStringLiteral("testing"), QStringLiteral("training")}, owner,
                              tr("Every wave verified and approved\nTesting passed\nGo/no-go meeting held"),
                              tr("Sending switched to the target\nThe source stops sending")));
    t.stages.append(makeStage(StageKind::Review, QStringLiteral("review"), tr("Post-migration review"), 5, {QStringLiteral("golive")}, owner,
                              tr("Go-live done"),
                              tr("Objectives measured against their KPIs\nLessons recorded\nSource account downgraded or closed")));
    t.schedule();
    return t;
}
