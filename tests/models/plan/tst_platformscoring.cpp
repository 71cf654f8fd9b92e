#include "assessment/inventory.h"
#include "catalog/platformcatalog.h"
#include "plan/platformscoring.h"
#include "testsupport.h"

#include <QLocale>
#include <QTest>

using namespace Qt::StringLiterals;

// The figures asserted here are worked out by hand in tests/fixtures/catalog/README.md.

using Assets = QMap<AssetKind, int>;
using Weights = QMap<QString, int>;

namespace {

Objective goal(const char *key)
{
    Objective o;
    o.goal = QString::fromLatin1(key);
    return o;
}

InventoryField field(const char *name, FieldType type, bool custom = true)
{
    return InventoryField{QString::fromLatin1(name), type, 10, custom};
}

/// 1,000 contacts, 4 custom fields (3 typed), 3 tags, consent columns, 200 bytes a contact.
Inventory standardInventory()
{
    Inventory inv;
    inv.total = 1000;
    inv.byStatus[size_t(ContactStatus::Subscribed)] = 800;
    inv.byStatus[size_t(ContactStatus::Unsubscribed)] = 150;
    inv.byStatus[size_t(ContactStatus::Cleaned)] = 50;
    InventorySource source;
    source.part = u"subscribed_members_export.csv"_s;
    source.rows = 1000;
    source.bytes = 200000;
    inv.sources = {source};
    inv.fields = {field("Plan", FieldType::Text), field("Score", FieldType::Number),
                  field("Signup", FieldType::Date), field("Mobile", FieldType::Phone),
                  field("MEMBER_RATING", FieldType::Number, false)};
    inv.tags = {{u"VIP"_s, 10}, {u"Newsletter"_s, 5}, {u"Trade"_s, 1}};
    inv.consent.available = true;
    inv.consent.subscribed = 800;
    inv.consent.subscribedWithEvidence = 600;
    return inv;
}

QMap<AssetKind, int> standardAssets()
{
    return {{AssetKind::Template, 2}, {AssetKind::Automation, 1}, {AssetKind::SendingDomain, 1}};
}

QMap<QString, int> weights(const QList<Criterion> &criteria)
{
    QMap<QString, int> w;
    for (const Criterion &c : criteria)
        w.insert(c.key, c.weight);
    return w;
}

const Criterion *criterion(const QList<Criterion> &criteria, QStringView key)
{
    for (const Criterion &c : criteria) {
        if (c.key == key)
            return &c;
    }
    return nullptr;
}

const PlatformScore *scoreOf(const QList<PlatformScore> &ranking, QStringView id)
{
    for (const PlatformScore &s : ranking) {
        if (s.platformId == id)
            return &s;
    }
    return nullptr;
}

const CriterionScore *scoreOf(const PlatformScore &platform, QStringView key)
{
    for (const CriterionScore &s : platform.scores) {
        if (s.key == key)
            return &s;
    }
    return nullptr;
}

QStringList ids(const QList<PlatformScore> &ranking)
{
    QStringList list;
    for (const PlatformScore &s : ranking)
        list.append(s.platformId);
    return list;
}

Criterion only(QStringView key, int weight, qint64 needed = 0)
{
    Criterion c;
    c.key = key.toString();
    c.title = key.toString();
    c.weight = weight;
    c.needed = needed;
    return c;
}

} // namespace

class tst_PlatformScoring : public QObject
{
    Q_OBJECT

private:
    PlatformCatalog m_catalog;

private Q_SLOTS:
    void initTestCase()
    {
        auto catalog = PlatformCatalog::load(TestSupport::fixture(u"catalog/scoring.json"_s));
        QVERIFY2(catalog.ok(), qPrintable(catalog.ok() ? QString() : catalog.error().toString()));
        m_catalog = catalog.value();
    }

    void criteriaWeights_data()
    {
        QTest::addColumn<bool>("assessed");
        QTest::addColumn<qint64>(
            "contacts"); // replaces the standard inventory's total and subscribed
        QTest::addColumn<Assets>("assets");
        QTest::addColumn<QStringList>("goals");
        QTest::addColumn<Weights>("expected");

        const QMap<QString, int> standard = {
            {u"customFields"_s, 4},       {u"fieldTypes"_s, 2},      {u"tags"_s, 3},
            {u"doubleOptInControl"_s, 4}, {u"consentEvidence"_s, 3}, {u"domainAuthentication"_s, 3},
            {u"bulkImport"_s, 1},         {u"apiRateLimit"_s, 1},    {u"automations"_s, 3},
            {u"templateLanguage"_s, 2}};

        QTest::newRow("not assessed, nothing listed")
            << false << qint64(0) << QMap<AssetKind, int>{} << QStringList{}
            << QMap<QString, int>{{u"customFields"_s, 0},
                                  {u"fieldTypes"_s, 0},
                                  {u"tags"_s, 0},
                                  {u"doubleOptInControl"_s, 4},
                                  {u"consentEvidence"_s, 2},
                                  {u"domainAuthentication"_s, 2},
                                  {u"bulkImport"_s, 0},
                                  {u"apiRateLimit"_s, 1},
                                  {u"automations"_s, 0},
                                  {u"templateLanguage"_s, 0}};
        QTest::newRow("standard") << true << qint64(-1) << standardAssets() << QStringList{}
                                  << standard;

        QMap<QString, int> deliverability = standard;
        deliverability[u"doubleOptInControl"_s] = 5;
        deliverability[u"consentEvidence"_s] = 4;
        deliverability[u"domainAuthentication"_s] = 4;
        QTest::newRow("deliverability objective")
            << true << qint64(-1) << standardAssets() << QStringList{u"deliverability"_s}
            << deliverability;
        QTest::newRow("analytics and custom objectives change no weight")
            << true << qint64(-1) << standardAssets() << QStringList{u"analytics"_s, u"custom"_s}
            << standard;

        QMap<QString, int> integration = standard;
        integration[u"bulkImport"_s] = 2;
        integration[u"apiRateLimit"_s]
            = 5; // 1 + large audience + integrations listed + 2 for the objective
        QMap<AssetKind, int> withIntegrations = standardAssets();
        withIntegrations.insert(AssetKind::Integration, 2);
        QTest::newRow("large audience, integrations, integration objective")
            << true << qint64(250000) << withIntegrations << QStringList{u"integration"_s}
            << integration;

        QMap<QString, int> veryLarge = standard;
        veryLarge[u"bulkImport"_s] = 3;
        veryLarge[u"apiRateLimit"_s] = 2;
        QTest::newRow("very large audience")
            << true << qint64(1500000) << standardAssets() << QStringList{} << veryLarge;

        QMap<QString, int> cost = standard;
        cost[u"pricing"_s] = 0;
        QTest::newRow("cost objective adds an unweighted price criterion")
            << true << qint64(-1) << standardAssets() << QStringList{u"cost"_s} << cost;

        QTest::newRow("empty export")
            << true << qint64(0) << QMap<AssetKind, int>{} << QStringList{}
            << QMap<QString, int>{{u"customFields"_s, 4},
                                  {u"fieldTypes"_s, 2},
                                  {u"tags"_s, 3},
                                  {u"doubleOptInControl"_s, 1},
                                  {u"consentEvidence"_s, 3},
                                  {u"domainAuthentication"_s, 2},
                                  {u"bulkImport"_s, 0},
                                  {u"apiRateLimit"_s, 1},
                                  {u"automations"_s, 0},
                                  {u"templateLanguage"_s, 0}};
    }

    void criteriaWeights()
    {
        QFETCH(bool, assessed);
        QFETCH(qint64, contacts);
        QFETCH(Assets, assets);
        QFETCH(QStringList, goals);
        QFETCH(Weights, expected);

        Inventory inv = standardInventory();
        if (contacts >= 0) {
            inv.total = contacts;
            inv.byStatus = {};
            inv.byStatus[size_t(ContactStatus::Subscribed)] = contacts;
        }
        QList<Objective> objectives;
        for (const QString &g : goals)
            objectives.append(goal(g.toLatin1().constData()));

        const QList<Criterion> criteria
            = PlatformScoring::criteria(assessed ? &inv : nullptr, assets, objectives);
        QCOMPARE(weights(criteria), expected);
        for (const Criterion &c : criteria) {
            QVERIFY2(!c.title.isEmpty(), qPrintable(c.key));
            QVERIFY2(!c.why.isEmpty(), qPrintable(c.key));
        }
    }

    void criteriaExplainTheFigures()
    {
        const Inventory inv = standardInventory();
        const QList<Criterion> criteria = PlatformScoring::criteria(&inv, standardAssets(), {});

        const Criterion *fields = criterion(criteria, CriterionKeys::CustomFields);
        QVERIFY(fields);
        QCOMPARE(fields->needed, 4);
        QVERIFY2(fields->why.contains(u"4 custom fields"_s), qPrintable(fields->why));

        const Criterion *types = criterion(criteria, CriterionKeys::NativeFieldTypes);
        QCOMPARE(types->needed, 3);
        QVERIFY2(types->why.contains(u"Mobile"_s) && !types->why.contains(u"Plan"_s),
                 qPrintable(types->why));

        QCOMPARE(criterion(criteria, CriterionKeys::Tags)->needed, 3);
        const QString doi = criterion(criteria, CriterionKeys::DoubleOptInControl)->why;
        QVERIFY2(doi.contains(u"800 subscribed"_s) && doi.contains(u"200 suppressions"_s),
                 qPrintable(doi));
        const QString consent = criterion(criteria, CriterionKeys::ConsentEvidence)->why;
        QVERIFY2(consent.contains(u"600 of 800"_s), qPrintable(consent));
        QCOMPARE(criterion(criteria, CriterionKeys::BulkImport)->needed, 1000);
        QCOMPARE(criterion(criteria, CriterionKeys::Automations)->needed, 1);
        QCOMPARE(criterion(criteria, CriterionKeys::TemplateLanguage)->needed, 2);

        const QString notAssessed
            = criterion(PlatformScoring::criteria(nullptr, {}, {}), CriterionKeys::CustomFields)
                  ->why;
        QVERIFY2(notAssessed.contains(u"Not assessed"_s), qPrintable(notAssessed));
    }

    void analyticsNeedsFieldsForEngagement()
    {
        Inventory inv = standardInventory();
        inv.engagement.ratingAvailable = true;
        inv.engagement.lastChangedAvailable = true;
        const QList<Criterion> without = PlatformScoring::criteria(&inv, {}, {});
        const QList<Criterion> with = PlatformScoring::criteria(&inv, {}, {goal("analytics")});
        QCOMPARE(criterion(without, CriterionKeys::CustomFields)->needed, 4);
        QCOMPARE(criterion(with, CriterionKeys::CustomFields)->needed, 6);
        QVERIFY(criterion(with, CriterionKeys::CustomFields)->why.contains(u"analytics"_s));
        // alpha holds 10 fields; a platform holding 5 would now fall short: 5 of 6.
        const QList<PlatformScore> ranking = PlatformScoring::rank(
            m_catalog, {*criterion(with, CriterionKeys::CustomFields)}, &inv, {}, {});
        QCOMPARE(scoreOf(ranking, u"alpha")->total, 100.0);
        QCOMPARE(scoreOf(ranking, u"source")->total, 100.0 * 5 / 6);
    }

    void rank_data()
    {
        QTest::addColumn<QStringList>("goals");
        QTest::addColumn<QString>("zeroWeight"); // a criterion set to weight 0, or empty
        QTest::addColumn<QStringList>("order");
        QTest::addColumn<QList<double>>("totals"); // in that order

        QTest::newRow("standard") << QStringList{} << QString()
                                  << QStringList{u"alpha"_s, u"beta"_s, u"gamma"_s}
                                  << QList<double>{7600.0 / 78, 4000.0 / 78, 50.0};
        QTest::newRow("deliverability") << QStringList{u"deliverability"_s} << QString()
                                        << QStringList{u"alpha"_s, u"gamma"_s, u"beta"_s}
                                        << QList<double>{8500.0 / 87, 50.0, 4300.0 / 87};
        QTest::newRow("double opt-in ignored") << QStringList{} << u"doubleOptInControl"_s
                                               << QStringList{u"alpha"_s, u"beta"_s, u"gamma"_s}
                                               << QList<double>{6400.0 / 66, 4000.0 / 66, 50.0};
    }

    void rank()
    {
        QFETCH(QStringList, goals);
        QFETCH(QString, zeroWeight);
        QFETCH(QStringList, order);
        QFETCH(QList<double>, totals);

        const Inventory inv = standardInventory();
        QList<Objective> objectives;
        for (const QString &g : goals)
            objectives.append(goal(g.toLatin1().constData()));
        QList<Criterion> criteria = PlatformScoring::criteria(&inv, standardAssets(), objectives);
        for (Criterion &c : criteria) {
            if (c.key == zeroWeight)
                c.weight = 0;
        }

        const QList<PlatformScore> ranking
            = PlatformScoring::rank(m_catalog, criteria, &inv, standardAssets(), u"source");
        QCOMPARE(ids(ranking), order);
        for (qsizetype i = 0; i < ranking.size(); ++i) {
            QCOMPARE(ranking[i].total, totals[i]);
            QCOMPARE(ranking[i].scores.size(), criteria.size());
            QCOMPARE(ranking[i].total, PlatformScoring::total(criteria, ranking[i].scores));
        }
    }

    void ruleScores_data()
    {
        QTest::addColumn<QString>("platform");
        QTest::addColumn<QString>("key");
        QTest::addColumn<double>("score");

        // The standard case, criterion by criterion (README.md).
        const struct
        {
            const char *key;
            double alpha, beta, gamma;
        } rows[] = {
            {"customFields", 1, 1, 0.5},
            {"fieldTypes", 2.0 / 3, 2.0 / 3, 0.5},
            {"tags", 1, 0, 0.5},
            {"doubleOptInControl", 1, 0, 0.5},
            {"consentEvidence", 1, 0, 0.5},
            {"domainAuthentication", 1, 1, 0.5},
            {"bulkImport", 1, 0.5, 0.5},
            {"apiRateLimit", 1, 0.5, 0.5},
            {"automations", 1, 1, 0.5},
            {"templateLanguage", 1, 0.5, 0.5},
        };
        for (const auto &r : rows) {
            QTest::addRow("alpha %s", r.key) << u"alpha"_s << QString::fromLatin1(r.key) << r.alpha;
            QTest::addRow("beta %s", r.key) << u"beta"_s << QString::fromLatin1(r.key) << r.beta;
            QTest::addRow("gamma %s", r.key) << u"gamma"_s << QString::fromLatin1(r.key) << r.gamma;
        }
    }

    void ruleScores()
    {
        QFETCH(QString, platform);
        QFETCH(QString, key);
        QFETCH(double, score);

        const Inventory inv = standardInventory();
        const QList<Criterion> criteria = PlatformScoring::criteria(&inv, standardAssets(), {});
        const QList<PlatformScore> ranking
            = PlatformScoring::rank(m_catalog, criteria, &inv, standardAssets(), u"source");
        const CriterionScore *s = scoreOf(*scoreOf(ranking, platform), key);
        QVERIFY(s);
        QCOMPARE(s->score, score);
        QVERIFY2(!s->explanation.isEmpty(), qPrintable(key));
    }

    void excludesTheSource()
    {
        const QList<Criterion> criteria = PlatformScoring::criteria(nullptr, {}, {});
        QCOMPARE(PlatformScoring::rank(m_catalog, criteria, nullptr, {}, u"source").size(), 3);
        QVERIFY(!scoreOf(PlatformScoring::rank(m_catalog, criteria, nullptr, {}, u"source"),
                         u"source"));
        QVERIFY(
            !scoreOf(PlatformScoring::rank(m_catalog, criteria, nullptr, {}, u"alpha"), u"alpha"));
        QCOMPARE(PlatformScoring::rank(m_catalog, criteria, nullptr, {}, {}).size(), 4);
        QCOMPARE(PlatformScoring::rank(m_catalog, criteria, nullptr, {}, u"not-in-catalog").size(),
                 4);
    }

    void tiesAreOrderedByName()
    {
        // Domain authentication alone: Alpha, Beta and Source Mail document it (100), Gamma not
        // (50).
        const QList<Criterion> criteria = {only(CriterionKeys::DomainAuthentication, 3)};
        const QList<PlatformScore> ranking
            = PlatformScoring::rank(m_catalog, criteria, nullptr, {}, {});
        QCOMPARE(ids(ranking), (QStringList{u"alpha"_s, u"beta"_s, u"source"_s, u"gamma"_s}));
        QCOMPARE(ranking[0].total, 100.0);
        QCOMPARE(ranking[3].total, 50.0);
    }

    void relativeRules_data()
    {
        QTest::addColumn<bool>("assessed");
        QTest::addColumn<QString>("key");
        QTest::addColumn<qint64>("needed");
        QTest::addColumn<QList<double>>("totals"); // alpha, beta, gamma

        // alpha takes 1,000 contacts a request, beta 100,000 bytes / 200 = 500, gamma unknown.
        QTest::newRow("bulk import")
            << true << u"bulkImport"_s << qint64(1000) << QList<double>{100, 50, 50};
        QTest::newRow("bulk import, larger audience")
            << true << u"bulkImport"_s << qint64(5000) << QList<double>{100, 50, 50};
        // Beta carries all 500 in one request, as alpha does: no difference that matters.
        QTest::newRow("bulk import, audience fits one request")
            << true << u"bulkImport"_s << qint64(500) << QList<double>{100, 100, 50};
        QTest::newRow("bulk import without record size")
            << false << u"bulkImport"_s << qint64(1000) << QList<double>{100, 50, 50};
        QTest::newRow("rate limit")
            << true << u"apiRateLimit"_s << qint64(0) << QList<double>{100, 50, 50};
    }

    void relativeRules()
    {
        QFETCH(bool, assessed);
        QFETCH(QString, key);
        QFETCH(qint64, needed);
        QFETCH(QList<double>, totals);

        const Inventory inv = standardInventory();
        const QList<PlatformScore> ranking = PlatformScoring::rank(
            m_catalog, {only(key, 1, needed)}, assessed ? &inv : nullptr, {}, u"source");
        QCOMPARE(ids(ranking), (QStringList{u"alpha"_s, u"beta"_s, u"gamma"_s}));
        for (qsizetype i = 0; i < ranking.size(); ++i)
            QCOMPARE(ranking[i].total, totals[i]);
        if (!assessed) {
            // Without the export's record size, beta's byte cap gives no contact count.
            QVERIFY2(scoreOf(ranking[1], key)->explanation.contains(u"Not documented"_s),
                     qPrintable(scoreOf(ranking[1], key)->explanation));
        } else if (key == u"bulkImport" && needed == 1000) {
            const QString beta = scoreOf(ranking[1], key)->explanation;
            const QString best = QLocale().toString(qint64(1000));
            QVERIFY2(beta.contains(u"About 500 contacts"_s) && beta.contains(u"takes "_s + best),
                     qPrintable(beta));
        }
    }

    void blockers()
    {
        const Inventory inv = standardInventory();
        const QList<Criterion> criteria
            = PlatformScoring::criteria(&inv, standardAssets(), {goal("deliverability")});
        const QList<PlatformScore> ranking
            = PlatformScoring::rank(m_catalog, criteria, &inv, standardAssets(), u"source");
        const PlatformScore *beta = scoreOf(ranking, u"beta");
        QCOMPARE(beta->blockers.size(), 1);
        QVERIFY2(beta->blockers.first().startsWith(
                     criterion(criteria, CriterionKeys::DoubleOptInControl)->title),
                 qPrintable(beta->blockers.first()));
        QVERIFY2(beta->blockers.first().contains(u"Every import sends a confirmation."_s),
                 qPrintable(beta->blockers.first()));
        QVERIFY(scoreOf(ranking, u"alpha")->blockers.isEmpty());
        QVERIFY(scoreOf(ranking, u"gamma")->blockers.isEmpty()); // not documented is 0.5, not 0

        // Beta also scores 0 on tags (weight 3) and consent (weight 4): not essential, no blocker.
        const QList<PlatformScore> standard = PlatformScoring::rank(
            m_catalog, PlatformScoring::criteria(&inv, standardAssets(), {}), &inv,
            standardAssets(), u"source");
        QVERIFY(scoreOf(standard, u"beta")->blockers.isEmpty());
    }

    void weightZeroIsIgnored()
    {
        QList<Criterion> criteria = {only(CriterionKeys::DoubleOptInControl, 5),
                                     only(CriterionKeys::DomainAuthentication, 2)};
        criteria[0].weight = 0;
        const QList<PlatformScore> ranking
            = PlatformScoring::rank(m_catalog, criteria, nullptr, {}, u"source");
        QCOMPARE(scoreOf(ranking, u"beta")->total, 100.0); // its 0 on double opt-in does not count
        QVERIFY(scoreOf(ranking, u"beta")->blockers.isEmpty());

        // All weights 0: every total is 0, and the order falls back to the names.
        criteria[1].weight = 0;
        const QList<PlatformScore> none
            = PlatformScoring::rank(m_catalog, criteria, nullptr, {}, u"source");
        QCOMPARE(ids(none), (QStringList{u"alpha"_s, u"beta"_s, u"gamma"_s}));
        for (const PlatformScore &s : none)
            QCOMPARE(s.total, 0.0);
        QCOMPARE(PlatformScoring::total({}, {}), 0.0);
    }

    void unknownFactsScoreHalf()
    {
        const Inventory inv = standardInventory();
        QList<Criterion> criteria
            = PlatformScoring::criteria(&inv, standardAssets(), {goal("cost")});
        criteria.append(only(u"somethingElse", 1));
        const QList<PlatformScore> ranking
            = PlatformScoring::rank(m_catalog, criteria, &inv, standardAssets(), u"source");
        const PlatformScore *gamma = scoreOf(ranking, u"gamma");
        for (const CriterionScore &s : gamma->scores) {
            QCOMPARE(s.score, 0.5);
            if (s.key == CriterionKeys::Pricing)
                QVERIFY2(s.explanation.contains(u"not in the catalog"_s),
                         qPrintable(s.explanation));
            else if (s.key == u"somethingElse")
                QVERIFY2(s.explanation.contains(u"Not in the catalog"_s),
                         qPrintable(s.explanation));
            else
                QVERIFY2(s.explanation.contains(u"Not documented"_s),
                         qPrintable(s.key + u": "_s + s.explanation));
        }
        // The vendor's note is kept with the "not documented" verdict, and the fact is still cited.
        const CriterionScore *fields = scoreOf(*gamma, CriterionKeys::CustomFields);
        QCOMPARE(fields->explanation, u"Not documented: The vendor does not say."_s);
        QCOMPARE(fields->source, u"fixture: gamma fields"_s);
        QCOMPARE(fields->checked, u"2026-11-23"_s);
    }

    void explanationsCiteTheirFacts()
    {
        const Inventory inv = standardInventory();
        const QList<Criterion> criteria = PlatformScoring::criteria(&inv, standardAssets(), {});
        const QList<PlatformScore> ranking
            = PlatformScoring::rank(m_catalog, criteria, &inv, standardAssets(), u"source");

        const CriterionScore *alphaFields
            = scoreOf(*scoreOf(ranking, u"alpha"), CriterionKeys::CustomFields);
        QCOMPARE(alphaFields->explanation,
                 u"Holds 10 custom fields; 4 needed. Ten fields on every plan."_s);
        QCOMPARE(alphaFields->source, u"fixture: alpha fields"_s);
        QCOMPARE(alphaFields->checked, u"2026-11-23"_s);

        // Two facts behind one score: both sources, and the older check date.
        const CriterionScore *betaTags = scoreOf(*scoreOf(ranking, u"beta"), CriterionKeys::Tags);
        QCOMPARE(betaTags->source, u"fixture: beta tags; fixture: beta lists"_s);
        QCOMPARE(betaTags->checked, u"2026-11-21"_s);
        QVERIFY2(betaTags->explanation.contains(u"2 lists"_s), qPrintable(betaTags->explanation));

        const CriterionScore *betaTypes
            = scoreOf(*scoreOf(ranking, u"beta"), CriterionKeys::NativeFieldTypes);
        QVERIFY2(betaTypes->explanation.contains(u"Score (number)"_s),
                 qPrintable(betaTypes->explanation));

        const CriterionScore *betaTemplates
            = scoreOf(*scoreOf(ranking, u"beta"), CriterionKeys::TemplateLanguage);
        QVERIFY2(betaTemplates->explanation.contains(u"Source Mail"_s),
                 qPrintable(betaTemplates->explanation));

        for (const PlatformScore &p : ranking) {
            for (const CriterionScore &s : p.scores) {
                if (p.platformId != u"gamma")
                    QVERIFY2(!s.source.isEmpty(), qPrintable(p.platformId + u' ' + s.key));
            }
        }
    }

    void shippedCatalogRanks()
    {
        // A smoke test on the real data: Mailchimp as the source, a typical export.
        auto catalog = PlatformCatalog::load(QStringLiteral(STAGECOACH_SOURCE_DIR)
                                             + u"/resources/catalog/platforms.json"_s);
        QVERIFY(catalog.ok());
        const Inventory inv = standardInventory();
        const QList<Criterion> criteria
            = PlatformScoring::criteria(&inv, standardAssets(), {goal("deliverability")});
        const QList<PlatformScore> ranking = PlatformScoring::rank(catalog.value(), criteria, &inv,
                                                                   standardAssets(), u"mailchimp");
        QCOMPARE(ranking.size(), catalog->platforms().size() - 1);
        QVERIFY(!scoreOf(ranking, u"mailchimp"));
        for (qsizetype i = 1; i < ranking.size(); ++i)
            QVERIFY(ranking[i - 1].total >= ranking[i].total);
        for (const PlatformScore &p : ranking) {
            QVERIFY(p.total >= 0 && p.total <= 100);
            QVERIFY2(p.blockers.isEmpty(), qPrintable(p.name + u": "_s + p.blockers.join(u"; "_s)));
        }
    }
};

QTEST_GUILESS_MAIN(tst_PlatformScoring)
#include "tst_platformscoring.moc"
