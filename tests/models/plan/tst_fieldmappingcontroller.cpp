#include "assessment/assessmentcontroller.h"
#include "assessment/assessmentrepository.h"
#include "catalog/platformcatalog.h"
#include "connectors/fieldmappingrepository.h"
#include "plan/checklistgenerator.h"
#include "plan/fieldmappingcontroller.h"
#include "plan/plancontroller.h"
#include "store/projectstore.h"
#include "store/schema.h"
#include "testsupport.h"

#include <QAbstractItemModelTester>
#include <QFile>
#include <QSignalSpy>
#include <QSqlQuery>
#include <QTemporaryDir>
#include <QTest>

using namespace Qt::StringLiterals;

namespace {

using Kind = FieldMappingRow::Kind;

Inventory inventory()
{
    Inventory inv;
    inv.dialect = ExportDialect::Mailchimp;
    inv.byStatus[size_t(ContactStatus::Subscribed)] = 100;
    inv.total = 100;
    inv.fields = {{u"FNAME"_s, FieldType::Text, 90, true},         {u"BIRTHDAY"_s, FieldType::Birthday, 10, true},
                  {u"Shoe size"_s, FieldType::Text, 40, true},     {u"MEMBER_RATING"_s, FieldType::Number, 100, false},
                  {u"OPTIN_TIME"_s, FieldType::Date, 80, false},   {u"TAGS"_s, FieldType::Tags, 30, false},
                  {u"Address"_s, FieldType::Address, 20, true},    {u"City"_s, FieldType::Text, 25, true}};
    return inv;
}

int rowOf(const FieldMappingController &c, const QString &source)
{
    const QList<FieldMappingRow> rows = c.rows();
    for (int r = 0; r < rows.size(); ++r) {
        if (rows.at(r).source == source)
            return r;
    }
    return -1;
}

int savedRows(ProjectStore &store, const QString &where = {})
{
    QSqlQuery q(store.database());
    if (!q.exec(u"SELECT COUNT(*) FROM field_mapping"_s + (where.isEmpty() ? QString() : u" WHERE "_s + where)) || !q.next())
        return -1;
    return q.value(0).toInt();
}

} // namespace

class tst_FieldMappingController : public QObject
{
    Q_OBJECT

private:
    QTemporaryDir m_dir;
    std::optional<PlatformCatalog> m_catalog;
    std::optional<ChecklistTemplate> m_template;

    struct Session
    {
        std::unique_ptr<ProjectStore> store;
        std::unique_ptr<AssessmentController> assessment;
        std::unique_ptr<PlanController> plan;
        std::unique_ptr<FieldMappingController> mapping;
    };

    Session open(const QString &file)
    {
        Session s;
        auto store = ProjectStore::open(file);
        if (!store.ok()) {
            qWarning() << store.error().toString();
            return s;
        }
        s.store = std::move(store.value());
        s.assessment = std::make_unique<AssessmentController>(s.store.get(), &*m_catalog);
        s.plan = std::make_unique<PlanController>(s.store.get(), &*m_catalog, &*m_template, s.assessment.get());
        s.mapping = std::make_unique<FieldMappingController>(s.store.get(), s.assessment.get(), s.plan.get());
        new QAbstractItemModelTester(s.mapping->model(), QAbstractItemModelTester::FailureReportingMode::QtTest, s.mapping.get());
        new QAbstractItemModelTester(s.mapping->unmappedModel(), QAbstractItemModelTester::FailureReportingMode::QtTest,
                                     s.mapping.get());
        return s;
    }

    QString newProject(const QString &name, const QString &target, bool withAssessment = true)
    {
        const QString file = m_dir.filePath(name);
        auto store = ProjectStore::create(file, u"Fields"_s);
        if (!store.ok())
            return {};
        if (withAssessment
            && !AssessmentRepository(store.value()->database())
                    .save({u"/data/members.csv"_s}, inventory(), QDateTime::currentDateTimeUtc())
                    .ok())
            return {};
        if (!target.isEmpty() && !store.value()->setValue(u"choice.platform"_s, target).ok())
            return {};
        return file;
    }

private Q_SLOTS:
    void initTestCase()
    {
        QVERIFY(m_dir.isValid());
        auto catalog = PlatformCatalog::load(QStringLiteral(STAGECOACH_SOURCE_DIR) + u"/resources/catalog/platforms.json"_s);
        QVERIFY(catalog.ok());
        m_catalog = std::move(catalog.value());
        auto tpl = ChecklistTemplate::load(QStringLiteral(STAGECOACH_SOURCE_DIR) + u"/resources/checklist/tasks.json"_s);
        QVERIFY(tpl.ok());
        m_template = std::move(tpl.value());
    }

    void withoutATargetThereIsNothingToMap()
    {
        Session s = open(newProject(u"notarget.stagecoach"_s, QString()));
        QVERIFY(s.mapping);
        QCOMPARE(s.mapping->state(), FieldMappingController::State::NoTarget);
        QCOMPARE(s.mapping->model()->rowCount(), 0);
        QVERIFY(s.mapping->stateText().contains(u"Platform choice"_s));
        QVERIFY(s.mapping->summary().isEmpty());

        // Choosing Brevo on the platform step brings its suggestion at once.
        QSignalSpy changed(s.mapping.get(), &FieldMappingController::mappingChanged);
        QVERIFY(s.plan->choose(u"brevo"_s, u"price"_s));
        QVERIFY(changed.count() >= 1);
        QCOMPARE(s.mapping->state(), FieldMappingController::State::Ready);
        QCOMPARE(s.mapping->target(), TargetPlatform::Brevo);
        QCOMPARE(s.mapping->model()->rowCount(), 8);

        // A platform Stagecoach does not write to: said so, by name.
        QVERIFY(s.plan->choose(u"activecampaign"_s, u"crm"_s));
        QCOMPARE(s.mapping->state(), FieldMappingController::State::UnsupportedTarget);
        QCOMPARE(s.mapping->model()->rowCount(), 0);
        QVERIFY2(s.mapping->stateText().contains(u"ActiveCampaign is not one of them"_s), qPrintable(s.mapping->stateText()));
    }

    void withoutAnAssessmentItSaysToAssessFirst()
    {
        Session s = open(newProject(u"noassessment.stagecoach"_s, u"brevo"_s, false));
        QCOMPARE(s.mapping->state(), FieldMappingController::State::NoFields);
        QVERIFY(s.mapping->stateText().contains(u"Assessment"_s));
    }

    void theSuggestionIsShownUntilEdited()
    {
        Session s = open(newProject(u"suggest.stagecoach"_s, u"brevo"_s));
        FieldMappingModel *m = s.mapping->model();
        QCOMPARE(m->rowCount(), 8);
        QVERIFY(!s.mapping->isSaved());
        QCOMPARE(savedRows(*s.store), 0);
        QCOMPARE(m->index(0, FieldMappingController::ColSource).data().toString(), u"FNAME"_s);
        QCOMPARE(m->index(0, FieldMappingController::ColKind).data().toString(), u"Built-in field"_s);
        QCOMPARE(m->index(0, FieldMappingController::ColKind).data(Qt::EditRole).toString(), u"native"_s);
        QCOMPARE(m->index(0, FieldMappingController::ColTargets).data().toString(), u"FIRSTNAME"_s);
        const int address = rowOf(*s.mapping, u"Address"_s);
        QCOMPARE(m->index(address, FieldMappingController::ColTargets).data().toString(),
                 u"ADDRESS_LINE_1, ADDRESS_LINE_2, ADDRESS_CITY, ADDRESS_STATE, ADDRESS_ZIP, ADDRESS_COUNTRY"_s);
        // FNAME, OPTIN_TIME, TAGS mapped; BIRTHDAY, Shoe size, Address, City created; MEMBER_RATING left.
        QCOMPARE(s.mapping->summary(), u"8 fields: 3 mapped, 4 created on Brevo, 1 not transferred"_s);
        QCOMPARE(s.mapping->unmappedModel()->rowCount(), 1);
        QCOMPARE(s.mapping->unmappedModel()->index(0, 0).data().toString(), u"MEMBER_RATING"_s);
        QVERIFY(s.mapping->unmappedModel()->index(0, 1).data().toString().contains(u"Platform metadata"_s));
    }

    void fieldsTheTargetHasAreNotCreated()
    {
        const QString file = newProject(u"attributes.stagecoach"_s, u"brevo"_s);
        {
            Session s = open(file);
            QCOMPARE(s.mapping->summary(), u"8 fields: 3 mapped, 4 created on Brevo, 1 not transferred"_s);
            const int birthday = rowOf(*s.mapping, u"BIRTHDAY"_s);
            QVERIFY(!s.mapping->rows().at(birthday).existsOnTarget);
            // Brevo says it already has a BIRTHDAY attribute (names are matched without case).
            QVERIFY(s.mapping->setTargetAttributes({u"EMAIL"_s, u"FIRSTNAME"_s, u"birthday"_s}));
            QCOMPARE(s.mapping->rows().at(birthday).existsOnTarget, true);
            QCOMPARE(s.mapping->summary(), u"8 fields: 4 mapped, 3 created on Brevo, 1 not transferred"_s);
            QVERIFY(!s.mapping->isSaved()); // what the target holds is not a user's edit
        }
        // Kept in the project for the next session.
        Session reopened = open(file);
        QCOMPARE(reopened.mapping->targetAttributes(), (QStringList{u"EMAIL"_s, u"FIRSTNAME"_s, u"birthday"_s}));
        QCOMPARE(reopened.mapping->summary(), u"8 fields: 4 mapped, 3 created on Brevo, 1 not transferred"_s);
    }

    void anEditIsSavedAndKept()
    {
        const QString file = newProject(u"edit.stagecoach"_s, u"brevo"_s);
        {
            Session s = open(file);
            const int shoe = rowOf(*s.mapping, u"Shoe size"_s);
            QVERIFY2(s.mapping->setTargets(shoe, {u"SIZE_EU"_s}),
                     qPrintable(s.mapping->lastError() ? s.mapping->lastError()->toString() : QString()));
            QVERIFY(s.mapping->setTargetType(shoe, FieldType::Number));
            QVERIFY(s.mapping->isSaved());
            // The whole mapping is in the file once touched; one row is the user's.
            QCOMPARE(savedRows(*s.store), 8);
            QCOMPARE(savedRows(*s.store, u"edited = 1"_s), 1);
            QCOMPARE(savedRows(*s.store, u"target = 'brevo' AND source = 'Shoe size' AND targets = '[\"SIZE_EU\"]'"
                                         " AND target_type = 'number'"_s),
                     1);
        }
        Session s = open(file);
        const int shoe = rowOf(*s.mapping, u"Shoe size"_s);
        QVERIFY(s.mapping->isSaved());
        QCOMPARE(s.mapping->model()->at(shoe).row.targets, QStringList{u"SIZE_EU"_s});
        QCOMPARE(s.mapping->model()->at(shoe).row.targetType, FieldType::Number);
        QVERIFY(s.mapping->model()->at(shoe).edited);
        QVERIFY(!s.mapping->model()->at(0).edited);
        QCOMPARE(s.mapping->model()->index(shoe, FieldMappingController::ColTargetType).data().toString(), u"Number"_s);

        // Another target keeps its own mapping: Klaviyo starts from its suggestion.
        QVERIFY(s.plan->choose(u"klaviyo"_s, QString()));
        QVERIFY(!s.mapping->isSaved());
        QCOMPARE(s.mapping->model()->at(rowOf(*s.mapping, u"Shoe size"_s)).row.targets,
                 QStringList{u"properties.Shoe size"_s});
        QVERIFY(s.plan->choose(u"brevo"_s, QString()));
        QCOMPARE(s.mapping->model()->at(rowOf(*s.mapping, u"Shoe size"_s)).row.targets, QStringList{u"SIZE_EU"_s});
    }

    void namesAreCheckedTheWayTheTargetNamesFields_data()
    {
        QTest::addColumn<QString>("target");
        QTest::addColumn<QString>("source");
        QTest::addColumn<QString>("name");
        QTest::addColumn<bool>("accepted");
        QTest::addColumn<QString>("hint"); // part of the hint when refused

        QTest::newRow("brevo upper case") << u"brevo"_s << u"Shoe size"_s << u"SHOE_SIZE_EU"_s << true << QString();
        QTest::newRow("brevo spaces") << u"brevo"_s << u"Shoe size"_s << u"shoe size"_s << false << u"For example: SHOE_SIZE"_s;
        QTest::newRow("brevo leading digit") << u"brevo"_s << u"Shoe size"_s << u"1SIZE"_s << false << u"starting with a letter"_s;
        QTest::newRow("brevo taken") << u"brevo"_s << u"Shoe size"_s << u"FIRSTNAME"_s << false << u"leave one of them out"_s;
        QTest::newRow("brevo taken other case") << u"brevo"_s << u"City"_s << u"shoe_size"_s << false << u"For example: SHOE_SIZE"_s;
        QTest::newRow("klaviyo property") << u"klaviyo"_s << u"Shoe size"_s << u"properties.Size EU"_s << true << QString();
        QTest::newRow("klaviyo bare") << u"klaviyo"_s << u"Shoe size"_s << u"Size"_s << false << u"properties."_s;
        QTest::newRow("klaviyo built-in") << u"klaviyo"_s << u"FNAME"_s << u"First Name"_s << false << u"first_name"_s;
        // City onto location.city is shared with the address split: allowed.
        QTest::newRow("klaviyo split shares") << u"klaviyo"_s << u"City"_s << u"location.city"_s << true << QString();
        QTest::newRow("klaviyo taken") << u"klaviyo"_s << u"City"_s << u"first_name"_s << false << u"leave one of them out"_s;
    }

    void namesAreCheckedTheWayTheTargetNamesFields()
    {
        QFETCH(QString, target);
        QFETCH(QString, source);
        QFETCH(QString, name);
        QFETCH(bool, accepted);
        QFETCH(QString, hint);
        Session s = open(newProject(u"names-%1.stagecoach"_s.arg(QString::fromLatin1(QTest::currentDataTag()).replace(u' ', u'-')), target));
        QSignalSpy failed(s.mapping.get(), &FieldMappingController::failed);
        const int row = rowOf(*s.mapping, source);
        QVERIFY(row >= 0);
        const QStringList before = s.mapping->model()->at(row).row.targets;
        QCOMPARE(s.mapping->setTargets(row, {name}), accepted);
        if (accepted) {
            QCOMPARE(s.mapping->model()->at(row).row.targets, QStringList{name});
            QCOMPARE(failed.count(), 0);
            QVERIFY(s.mapping->isSaved());
            return;
        }
        QCOMPARE(s.mapping->model()->at(row).row.targets, before);
        QCOMPARE(failed.count(), 1);
        const Error e = failed.first().first().value<Error>();
        QVERIFY2(e.hint.contains(hint), qPrintable(e.toString()));
        QVERIFY(s.mapping->lastError().has_value());
        QVERIFY(!s.mapping->isSaved());
        QCOMPARE(savedRows(*s.store), 0);
    }

    void changingTheKindMovesTheField()
    {
        Session s = open(newProject(u"kind.stagecoach"_s, u"brevo"_s));
        const int shoe = rowOf(*s.mapping, u"Shoe size"_s);
        QVERIFY(s.mapping->setKind(shoe, Kind::Unmapped));
        QVERIFY(s.mapping->model()->at(shoe).row.targets.isEmpty());
        QCOMPARE(s.mapping->summary(), u"8 fields: 3 mapped, 3 created on Brevo, 2 not transferred"_s);
        QCOMPARE(s.mapping->unmappedModel()->rowCount(), 2);
        QCOMPARE(s.mapping->unmappedModel()->index(0, 0).data().toString(), u"Shoe size"_s);
        QCOMPARE(s.mapping->unmappedModel()->index(1, 0).data().toString(), u"MEMBER_RATING"_s);
        QCOMPARE(s.mapping->unmappedModel()->index(0, 1).data().toString(),
                 u"Left out by you: kept in the backup, not written to Brevo."_s);
        // A field that is not written takes no name.
        QVERIFY(!s.mapping->setTargets(shoe, {u"SHOE"_s}));
        // Back to a custom field: the suggested name returns.
        QVERIFY(s.mapping->setKind(shoe, Kind::Custom));
        QCOMPARE(s.mapping->model()->at(shoe).row.targets, QStringList{u"SHOE_SIZE"_s});
        QCOMPARE(s.mapping->unmappedModel()->rowCount(), 1);
        // Tags: Brevo has none, so they become lists.
        QVERIFY(s.mapping->setKind(shoe, Kind::Tags));
        QCOMPARE(s.mapping->model()->at(shoe).row.targets, QStringList{u"lists"_s});
        QCOMPARE(s.mapping->summary(), u"8 fields: 4 mapped, 3 created on Brevo, 1 not transferred"_s);
        // Types the target cannot hold in one attribute are refused.
        QVERIFY(s.mapping->setKind(shoe, Kind::Custom));
        QVERIFY(!s.mapping->setTargetType(shoe, FieldType::Address));
        QVERIFY(!s.mapping->setTargetType(shoe, FieldType::Tags));
        QVERIFY(s.mapping->setTargetType(shoe, FieldType::Date));
        QCOMPARE(s.mapping->model()->at(shoe).row.targetType, FieldType::Date);
    }

    void resetPutsTheSuggestionBack()
    {
        const QString file = newProject(u"reset.stagecoach"_s, u"brevo"_s);
        Session s = open(file);
        const int shoe = rowOf(*s.mapping, u"Shoe size"_s);
        const int city = rowOf(*s.mapping, u"City"_s);
        QVERIFY(s.mapping->setTargets(shoe, {u"SIZE"_s}));
        QVERIFY(s.mapping->setKind(city, Kind::Unmapped));
        QVERIFY(s.mapping->resetRow(shoe));
        QCOMPARE(s.mapping->model()->at(shoe).row.targets, QStringList{u"SHOE_SIZE"_s});
        QVERIFY(!s.mapping->model()->at(shoe).edited);
        QCOMPARE(savedRows(*s.store, u"edited = 1"_s), 1);
        QCOMPARE(s.mapping->model()->at(city).row.kind, Kind::Unmapped);
        QVERIFY(s.mapping->resetAll());
        QVERIFY(!s.mapping->isSaved());
        QCOMPARE(savedRows(*s.store), 0);
        QCOMPARE(s.mapping->model()->at(city).row.kind, Kind::Custom);
        QCOMPARE(s.mapping->summary(), u"8 fields: 3 mapped, 4 created on Brevo, 1 not transferred"_s);
    }

    void aFailedSaveChangesNothing()
    {
        const QString file = newProject(u"readonly.stagecoach"_s, u"brevo"_s);
        Session s = open(file);
        const int shoe = rowOf(*s.mapping, u"Shoe size"_s);
        QVERIFY(s.mapping->setTargets(shoe, {u"SIZE"_s}));
        QVERIFY(QSqlQuery(s.store->database()).exec(u"PRAGMA query_only = ON"_s)); // every write fails, like a full disk
        QSignalSpy failed(s.mapping.get(), &FieldMappingController::failed);
        QVERIFY(!s.mapping->setTargets(shoe, {u"SIZE_EU"_s}));
        QVERIFY(!s.mapping->setKind(shoe, Kind::Unmapped));
        QVERIFY(!s.mapping->resetRow(shoe));
        QVERIFY(!s.mapping->resetAll());
        QCOMPARE(failed.count(), 4);
        const Error e = failed.first().first().value<Error>();
        QVERIFY2(e.message.startsWith(u"the field mapping could not be saved"_s), qPrintable(e.toString()));
        QVERIFY(!e.hint.isEmpty());
        QCOMPARE(s.mapping->model()->at(shoe).row.targets, QStringList{u"SIZE"_s});
        QCOMPARE(s.mapping->model()->at(shoe).row.kind, Kind::Custom);
        QCOMPARE(s.mapping->summary(), u"8 fields: 3 mapped, 4 created on Brevo, 1 not transferred"_s);
        QVERIFY(QSqlQuery(s.store->database()).exec(u"PRAGMA query_only = OFF"_s));
        s.mapping.reset();
        s.plan.reset();
        s.assessment.reset();
        s.store.reset();
        Session reopened = open(file);
        QCOMPARE(reopened.mapping->model()->at(shoe).row.targets, QStringList{u"SIZE"_s});
    }

    void aVersionTwoProjectIsUpgraded()
    {
        // A project saved before the field mapping existed (schema 2), with a plan in it.
        const QString file = m_dir.filePath(u"v2.stagecoach"_s);
        QList<SchemaMigration> v2 = Schema::migrations();
        while (v2.constLast().toVersion > 2)
            v2.removeLast();
        {
            auto store = ProjectStore::create(file, u"Old"_s, v2);
            QVERIFY(store.ok());
            QCOMPARE(Schema::userVersion(*std::make_unique<QSqlDatabase>(store.value()->database())), 2);
            QVERIFY(AssessmentRepository(store.value()->database())
                        .save({u"/data/members.csv"_s}, inventory(), QDateTime::currentDateTimeUtc())
                        .ok());
            QVERIFY(store.value()->setValue(u"choice.platform"_s, u"brevo"_s).ok());
            QSqlQuery q(store.value()->database());
            QVERIFY(!q.exec(u"SELECT COUNT(*) FROM field_mapping"_s));
        }
        Session s = open(file);
        QVERIFY(s.store);
        QSqlDatabase db = s.store->database();
        QCOMPARE(Schema::userVersion(db), Schema::currentVersion());
        QVERIFY(QFile::exists(file + u".v2.bak"_s));
        QCOMPARE(s.store->value(u"choice.platform"_s).toString(), u"brevo"_s);
        QCOMPARE(s.mapping->state(), FieldMappingController::State::Ready);
        QCOMPARE(s.mapping->model()->rowCount(), 8);
        QVERIFY(s.mapping->setTargets(rowOf(*s.mapping, u"Shoe size"_s), {u"SIZE"_s}));
        QCOMPARE(savedRows(*s.store), 8);
    }
};

QTEST_GUILESS_MAIN(tst_FieldMappingController)
#include "tst_fieldmappingcontroller.moc"
