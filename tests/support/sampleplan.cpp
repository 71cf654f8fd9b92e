#include "sampleplan.h"

#include "plan/checklist.h"

using namespace Qt::StringLiterals;

namespace SamplePlan {

namespace {

Stage stage(const QString &key, StageKind kind, const QString &title, int days,
            const QStringList &dependsOn, const QString &owner)
{
    Stage s;
    s.key = key;
    s.kind = kind;
    s.title = title;
    s.durationDays = days;
    s.milestone = days == 0;
    s.dependsOn = dependsOn;
    s.owner = owner;
    return s;
}

Objective objective(const QString &goal, const QString &title, const QString &kpi,
                    Objective::Comparison c, double threshold, const QString &unit,
                    const QString &scope, const QString &notes = {})
{
    Objective o;
    o.goal = goal;
    o.title = title;
    o.kpi = kpi;
    o.comparison = c;
    o.threshold = threshold;
    o.unit = unit;
    o.scope = scope;
    o.notes = notes;
    return o;
}

Inventory inventory()
{
    Inventory inv;
    inv.dialect = ExportDialect::Mailchimp;
    for (const auto &[part, rows] : {std::pair{u"subscribed_members_export_5f3a.csv"_s, 40422},
                                     std::pair{u"unsubscribed_members_export_5f3a.csv"_s, 5158},
                                     std::pair{u"cleaned_members_export_5f3a.csv"_s, 2240}}) {
        InventorySource s;
        s.path = u"/home/alex/exports/"_s + part;
        s.part = part;
        s.dialect = ExportDialect::Mailchimp;
        s.rows = rows;
        inv.sources.append(s);
    }
    inv.total = 47820;
    const std::pair<ContactStatus, qint64> counts[] = {
        {ContactStatus::Subscribed, 39812}, {ContactStatus::Unsubscribed, 5120},
        {ContactStatus::Cleaned, 2240},     {ContactStatus::Complained, 38},
        {ContactStatus::Pending, 610},      {ContactStatus::Transactional, 0},
        {ContactStatus::Archived, 0},       {ContactStatus::Unknown, 0},
    };
    for (const auto &[status, n] : counts)
        inv.byStatus[size_t(status)] = n;
    inv.duplicates = 214;
    inv.invalidEmails = 87;
    const std::tuple<QString, FieldType, qint64, bool> fields[] = {
        {u"Email Address"_s, FieldType::Text, 47820, false},
        {u"First Name"_s, FieldType::Text, 41210, true},
        {u"Last Name"_s, FieldType::Text, 39877, true},
        {u"Birthday"_s, FieldType::Birthday, 12044, true},
        {u"Phone Number"_s, FieldType::Phone, 8120, true},
        {u"Address"_s, FieldType::Address, 6233, true},
        {u"Loyalty tier"_s, FieldType::Text, 30102, true},
        {u"Last order date"_s, FieldType::Date, 28790, true},
        {u"Order count"_s, FieldType::Number, 28790, true},
        {u"Preferred shop"_s, FieldType::Text, 15420, true},
        {u"Shop profile"_s, FieldType::Url, 2210, true},
        {u"MEMBER_RATING"_s, FieldType::Number, 47820, false},
        {u"TAGS"_s, FieldType::Tags, 31877, true},
    };
    for (const auto &[name, type, filled, custom] : fields)
        inv.fields.append({name, type, filled, custom});
    const QStringList tagNames = {u"newsletter"_s,  u"customer"_s,       u"green tea"_s,
                                  u"black tea"_s,   u"gift buyer"_s,     u"wholesale"_s,
                                  u"event 2024"_s,  u"tasting club"_s,   u"oolong"_s,
                                  u"berlin shop"_s, u"hamburg shop"_s,   u"online only"_s,
                                  u"vip"_s,         u"sample box"_s,     u"matcha"_s,
                                  u"herbal"_s,      u"christmas 2025"_s, u"returns"_s,
                                  u"b2b lead"_s,    u"survey 2025"_s,    u"webinar"_s,
                                  u"press"_s};
    qint64 count = 30120;
    for (const QString &t : tagNames) {
        inv.tags.append({t, count});
        count = count * 7 / 10;
    }
    inv.consent.available = true;
    inv.consent.optinTime = 36210;
    inv.consent.optinIp = 30144;
    inv.consent.confirmTime = 22870;
    inv.consent.confirmIp = 22860;
    inv.consent.withEvidence = 37002;
    inv.consent.subscribed = 39812;
    inv.consent.subscribedWithEvidence = 34977;
    inv.engagement.ratingAvailable = true;
    inv.engagement.rating = {1204, 3310, 9870, 14211, 12800, 6425};
    inv.engagement.lastChangedAvailable = true;
    inv.engagement.reference = QDate(2026, 2, 10);
    inv.engagement.lastChanged = {6120, 9844, 10210, 11420, 10226, 0};
    for (int i = 0; i < 14; ++i) {
        Finding f;
        f.kind = i % 3 == 0 ? Finding::InvalidEmail : Finding::Duplicate;
        f.address = i % 3 == 0 ? u"anna.schmidt@@example.org"_s : u"j.weber%1@example.net"_s.arg(i);
        f.source = u"subscribed_members_export_5f3a.csv"_s;
        f.line = 120 + i * 311;
        f.detail = i % 3 == 0 ? u"two @ signs"_s : u"first seen on line %1"_s.arg(20 + i);
        inv.findings.append(f);
    }
    return inv;
}

Criterion criterion(const QString &key, const QString &title, int weight, const QString &why)
{
    return Criterion{key, title, weight, why};
}

PlatformScore platform(const QString &id, const QString &name, double total,
                       const QList<double> &scores, const QList<Criterion> &criteria)
{
    PlatformScore p;
    p.platformId = id;
    p.name = name;
    p.total = total;
    for (qsizetype i = 0; i < criteria.size(); ++i) {
        CriterionScore s;
        s.key = criteria[i].key;
        s.score = scores.value(i);
        s.explanation = u"%1 on %2 (catalog fact)."_s.arg(criteria[i].title, name);
        s.source
            = u"https://help.%1.example/articles/limits-and-quotas-for-contact-attributes"_s.arg(
                id);
        s.checked = u"2026-01-15"_s;
        p.scores.append(s);
    }
    return p;
}

} // namespace

Timeline timeline()
{
    Timeline t;
    t.start = QDate(2026, 3, 2);
    const QString owner = u"Alex Morgan"_s;
    const QString marketer = u"Priya Shah"_s;
    const QString dev = u"Tom Becker"_s;
    t.stages = {
        stage(u"backup"_s, StageKind::Backup, u"Back up the Mailchimp account"_s, 3, {}, owner),
        stage(u"setup"_s, StageKind::InitialSetup, u"Set up Brevo: domain, senders, fields"_s, 5,
              {u"backup"_s}, dev),
        stage(u"templates"_s, StageKind::Templates, u"Rebuild templates and import history"_s, 8,
              {u"setup"_s}, marketer),
        stage(u"integration"_s, StageKind::Integration, u"Connect the shop and the CRM"_s, 6,
              {u"setup"_s}, dev),
        stage(u"wave-0"_s, StageKind::SuppressionWave, u"Wave 0: suppressions"_s, 1, {u"setup"_s},
              owner),
        stage(u"testing"_s, StageKind::Testing, u"Test sends, tracking and sync"_s, 4,
              {u"templates"_s, u"integration"_s, u"wave-0"_s}, marketer),
        stage(u"training"_s, StageKind::Training, u"Train the marketing team"_s, 2,
              {u"templates"_s}, marketer),
        stage(u"wave-1"_s, StageKind::SubscriberWave, u"Wave 1: most engaged"_s, 2, {u"testing"_s},
              owner),
        stage(u"wave-2"_s, StageKind::SubscriberWave, u"Wave 2: engaged"_s, 3, {u"wave-1"_s},
              owner),
        stage(u"wave-3"_s, StageKind::SubscriberWave, u"Wave 3: occasional readers"_s, 3,
              {u"wave-2"_s}, owner),
        stage(u"wave-4"_s, StageKind::SubscriberWave, u"Wave 4: least engaged"_s, 3, {u"wave-3"_s},
              owner),
        stage(u"golive"_s, StageKind::GoLive, u"Go-live: all sending from Brevo"_s, 0,
              {u"wave-4"_s, u"training"_s}, owner),
        stage(u"review"_s, StageKind::Review, u"Review the KPIs after 30 days"_s, 2, {u"golive"_s},
              owner),
        stage(u"close"_s, StageKind::Review, u"Close the Mailchimp account"_s, 1, {u"review"_s},
              owner),
    };
    const qint64 waves[] = {9800, 12400, 10100, 7512};
    for (int i = 0; i < 4; ++i)
        t.find(u"wave-%1"_s.arg(i + 1))->contacts = waves[i];
    t.find(u"wave-0")->contacts = 7398;
    t.find(u"review")->earliestStart = QDate(2026, 5, 25);
    for (Stage &s : t.stages) {
        s.entryCriteria
            = u"The previous stage's exit criteria hold\nThe owner has the access needed"_s;
        s.exitCriteria
            = u"Checklist items of the stage are done\nResults written down in the project"_s;
    }
    t.find(u"wave-1")->exitCriteria
        = u"Hard bounce rate below 2 %\nNo spam complaints above 0.1 %"_s;
    t.find(u"wave-0")->notes
        = u"Unsubscribed, cleaned and complained contacts go to the blocklist first."_s;
    t.schedule();
    return t;
}

PlanDocument full()
{
    PlanDocument doc;
    doc.projectName = u"Northwind Tea newsletter"_s;
    doc.owner = u"Alex Morgan"_s;
    doc.date = QDate(2026, 2, 16);
    doc.sourceName = u"Mailchimp"_s;
    doc.targetName = u"Brevo"_s;

    using C = Objective::Comparison;
    doc.objectives = {
        objective(u"deliverability"_s, u"Improved deliverability"_s, u"Hard bounce rate"_s,
                  C::Below, 2, u"%"_s, u"first wave"_s, u"Measured by Brevo's campaign report."_s),
        objective(u"deliverability"_s, u"Improved deliverability"_s, u"Spam complaint rate"_s,
                  C::Below, 0.1, u"%"_s, u"every wave"_s),
        objective(u"integration"_s, u"CRM integration"_s, u"Sync delay CRM to email platform"_s,
                  C::AtMost, 15, u"minutes"_s, u"testing stage"_s,
                  u"The shop's order webhook as well as the CRM."_s),
        objective(u"cost"_s, u"Lower cost"_s, u"Monthly platform cost"_s, C::AtMost, 300,
                  u"EUR per month"_s, u"first full month"_s),
    };

    doc.inventory = inventory();
    doc.assessedAt = QDateTime(QDate(2026, 2, 12), QTime(10, 30));
    doc.assets = {{AssetKind::Template, 24},
                  {AssetKind::Campaign, 310},
                  {AssetKind::Automation, 6},
                  {AssetKind::Integration, 3},
                  {AssetKind::SendingDomain, 1}};
    doc.risks = {
        {u"duplicates"_s, Risk::Warning, u"Duplicate addresses"_s,
         u"214 rows repeat an address already seen."_s,
         u"Keep the most recent row of each; the import would otherwise overwrite fields at random."_s},
        {u"consent"_s, Risk::Critical, u"Consent evidence missing for some subscribers"_s,
         u"4,835 subscribed contacts have no opt-in or confirmation time."_s,
         u"Ask them to confirm before the last wave, or leave them behind."_s},
        {u"automations"_s, Risk::Warning, u"Automations are rebuilt by hand"_s,
         u"6 automations are listed; no platform imports another's automations."_s,
         u"Plan time to rebuild and test each one, and switch the old ones off at go-live."_s},
        {u"suppressions"_s, Risk::Info, u"Suppressions go first"_s,
         u"7,398 contacts are unsubscribed, bounced or complained."_s,
         u"They are written to the target's suppression list before any subscriber."_s},
    };

    doc.criteria = {
        criterion(u"customFields"_s, u"Custom fields"_s, 5, u"10 custom fields in the export"_s),
        criterion(u"tags"_s, u"Tags on contacts"_s, 4, u"22 tags in use"_s),
        criterion(u"doubleOptInControl"_s, u"Double opt-in control"_s, 4,
                  u"Consent evidence for 88 % of subscribers"_s),
        criterion(u"automation"_s, u"Automation builder"_s, 3, u"6 automations to rebuild"_s),
        criterion(u"crm"_s, u"CRM integration"_s, 4, u"Objective: CRM integration"_s),
        criterion(u"cost"_s, u"Price for 48,000 contacts"_s, 3, u"Objective: lower cost"_s),
        criterion(u"gdpr"_s, u"EU data hosting"_s, 5, u"Customers in the EU"_s),
    };
    doc.ranking = {
        platform(u"brevo"_s, u"Brevo"_s, 84.2, {1, 0.75, 1, 0.75, 0.5, 1, 1}, doc.criteria),
        platform(u"klaviyo"_s, u"Klaviyo"_s, 78.5, {1, 1, 0.75, 1, 1, 0.25, 0.5}, doc.criteria),
        platform(u"mailerlite"_s, u"MailerLite"_s, 66.0, {0.5, 0.5, 1, 0.5, 0.25, 1, 1},
                 doc.criteria),
    };
    doc.ranking[2].blockers = {u"Custom fields: 10 needed"_s};
    doc.choice.platformId = u"brevo"_s;
    doc.choice.reasons = u"Best total score, EU hosting and the lowest price at our list size.\n"
                         u"The team already uses Brevo for transactional mail."_s;
    doc.choice.decidedAt = QDateTime(QDate(2026, 2, 13), QTime(16, 0));

    doc.timeline = timeline();
    doc.people
        = {{1, u"Alex Morgan"_s, u"Migration owner"_s, u"alex@northwind.example"_s},
           {2, u"Priya Shah"_s, u"Email marketer"_s, u"priya@northwind.example"_s},
           {3, u"Tom Becker"_s, u"Developer"_s, u"tom@northwind.example"_s},
           {4, u"Lena Fischer"_s, u"Data protection officer"_s, u"lena@northwind.example"_s}};

    // Three or four tasks per stage: 44 in all, enough to run over pages.
    QList<ChecklistItem> items;
    const QStringList tasks
        = {u"Agree the scope with the owner"_s, u"Write down the results"_s,
           u"Check the figures against the assessment"_s, u"Tell the team the stage is done"_s};
    int id = 0;
    for (const Stage &s : doc.timeline.stages) {
        const int n = s.milestone ? 2 : (s.kind == StageKind::SubscriberWave ? 4 : 3);
        for (int i = 0; i < n; ++i) {
            ChecklistItem item;
            item.id = ++id;
            item.stageKey = s.key;
            item.title = i == 0 ? u"%1: prepare"_s.arg(s.title) : tasks[i % tasks.size()];
            item.status = id < 8     ? ChecklistItem::Status::Done
                          : id == 9  ? ChecklistItem::Status::InProgress
                          : id == 12 ? ChecklistItem::Status::Blocked
                                     : ChecklistItem::Status::Open;
            item.milestone = s.milestone && i == 0;
            if (i == 2)
                item.owner = u"Lena Fischer"_s;
            items.append(item);
        }
    }
    ChecklistItem export_;
    export_.id = ++id;
    export_.stageKey = u"backup"_s;
    export_.title = u"Export every audience with all fields and tags"_s;
    items.append(export_);
    doc.checklist = Checklist::resolve(items, doc.timeline);
    return doc;
}

PlanDocument large()
{
    PlanDocument doc = full();
    Timeline &t = doc.timeline;
    QString previous = t.stages.last().key;
    for (int i = 0; i < 22; ++i) {
        Stage s
            = stage(u"extra-%1"_s.arg(i), i % 2 ? StageKind::Testing : StageKind::SubscriberWave,
                    u"Follow-up %1: check the sync of orders, consent and bounces"_s.arg(i + 1),
                    1 + i % 4, {previous}, u"Priya Shah"_s);
        s.entryCriteria
            = u"Yesterday's report shows no failed records\nThe CRM export of the day is complete "
              u"and "
              u"matches the number of orders in the shop\nNobody is sending a campaign"_s;
        s.exitCriteria
            = u"Bounce and complaint rates are below the objectives\nThe owner has signed the day off"_s;
        previous = s.key;
        t.stages.append(s);
    }
    t.schedule();
    doc.objectives[0].notes
        = u"See https://help.brevo.example/hc/en-us/articles/209467485-what-is-a-hard-bounce-and-"
          u"what-is-a-soft-bounce-and-how-to-avoid-them"_s;

    QList<ChecklistItem> items;
    for (int i = 0; i < 150; ++i) {
        ChecklistItem item;
        item.id = i + 1;
        item.stageKey = t.stages[i % t.stages.size()].key;
        item.title
            = i % 4 == 0
                  ? u"Check that every order of the day reached the CRM, that consent fields were "
                    u"carried over and that nobody unsubscribed was imported (task %1)"_s.arg(i + 1)
                  : u"Task %1"_s.arg(i + 1);
        items.append(item);
    }
    doc.checklist = Checklist::resolve(items, t);
    return doc;
}

PlanDocument empty()
{
    PlanDocument doc;
    doc.projectName = u"Empty plan"_s;
    doc.date = QDate(2026, 2, 16);
    doc.sourceName = u"Mailchimp"_s;
    return doc;
}

} // namespace SamplePlan
