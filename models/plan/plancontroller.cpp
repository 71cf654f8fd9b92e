#include "plan/plancontroller.h"

#include "assessment/assessmentcontroller.h"
#include "assessment/assessmentrepository.h"
#include "catalog/platformcatalog.h"
#include "contacts/emailaddress.h"
#include "plan/checklistgenerator.h"
#include "plan/planrepository.h"
#include "plan/planscoring.h"
#include "plan/timelinegenerator.h"
#include "reports/plandocument.h"
#include "store/projectstore.h"

#include <QBrush>
#include <QColor>
#include <QFont>
#include <QLocale>

#include <cmath>

namespace {

const QString kStartKey = QStringLiteral("plan.start");
const QString kOwnerKey = QStringLiteral("plan.owner");
const QString kGeneratedFromKey = QStringLiteral("plan.generatedFrom");
const QString kChoiceKey = QStringLiteral("choice.platform");
const QString kReasonsKey = QStringLiteral("choice.reasons");
const QString kDecidedAtKey = QStringLiteral("choice.decidedAt");

bool isEditOrDisplay(int role)
{
    return role == Qt::DisplayRole || role == Qt::EditRole;
}

std::optional<Objective::Comparison> comparisonFromText(const QString &text)
{
    const QString t = text.trimmed();
    using C = Objective::Comparison;
    if (t == u"<")
        return C::Below;
    if (t == u"<=" || t == u"\u2264")
        return C::AtMost;
    if (t == u">=" || t == u"\u2265")
        return C::AtLeast;
    if (t == u">")
        return C::Above;
    for (C c : {C::Below, C::AtMost, C::AtLeast, C::Above}) {
        if (Objective::comparisonKey(c) == t)
            return c;
    }
    return std::nullopt;
}

} // namespace

PlanController::PlanController(ProjectStore *store, const PlatformCatalog *catalog, const ChecklistTemplate *checklistTemplate,
                               AssessmentController *assessment, QObject *parent)
    : QObject(parent), m_store(store), m_catalog(catalog), m_template(checklistTemplate), m_assessment(assessment)
{
    using ObjCol = ObjectivesModel::Column;
    auto objectiveText = [](QString Objective::*member) {
        return ObjCol{QString(), [member](const Objective &o, int role) { return isEditOrDisplay(role) ? QVariant(o.*member) : QVariant(); },
                      [member](Objective &o, const QVariant &v) {
                          o.*member = v.toString().trimmed();
                          return true;
                      }};
    };
    QList<ObjCol> objectiveColumns(ObjNotes + 1);
    objectiveColumns[ObjGoal] = {tr("Goal"), [](const Objective &o, int role) -> QVariant {
                                     if (role != Qt::DisplayRole)
                                         return {};
                                     const CommonGoal *g = CommonGoals::find(o.goal);
                                     return g ? g->title : tr("Custom");
                                 }};
    objectiveColumns[ObjTitle] = objectiveText(&Objective::title);
    objectiveColumns[ObjKpi] = objectiveText(&Objective::kpi);
    objectiveColumns[ObjComparison] = {tr("Target"),
                                       [](const Objective &o, int role) {
                                           return isEditOrDisplay(role) ? QVariant(Objective::comparisonSymbol(o.comparison)) : QVariant();
                                       },
                                       [](Objective &o, const QVariant &v) {
                                           const auto c = comparisonFromText(v.toString());
                                           if (c)
                                               o.comparison = *c;
                                           return c.has_value();
                                       }};
    objectiveColumns[ObjThreshold] = {tr("Threshold"),
                                      [](const Objective &o, int role) -> QVariant {
                                          // Text for editing too: a spin box would round 0.005 to two decimals.
                                          if (role == Qt::DisplayRole || role == Qt::EditRole)
                                              return QLocale().toString(o.threshold, 'g', 12);
                                          if (role == Qt::TextAlignmentRole)
                                              return int(Qt::AlignRight | Qt::AlignVCenter);
                                          return {};
                                      },
                                      [](Objective &o, const QVariant &v) {
                                          bool ok = false;
                                          const double d = v.typeId() == QMetaType::QString ? QLocale().toDouble(v.toString(), &ok)
                                                                                              : v.toDouble(&ok);
                                          // "nan" and "inf" parse, but measure nothing.
                                          if (!ok || !std::isfinite(d))
                                              return false;
                                          o.threshold = d;
                                          return true;
                                      }};
    objectiveColumns[ObjUnit] = objectiveText(&Objective::unit);
    objectiveColumns[ObjScope] = objectiveText(&Objective::scope);
    objectiveColumns[ObjNotes] = objectiveText(&Objective::notes);
    objectiveColumns[ObjTitle].header = tr("Objective");
    objectiveColumns[ObjKpi].header = tr("KPI");
    objectiveColumns[ObjUnit].header = tr("Unit");
    objectiveColumns[ObjScope].header = tr("Measured");
    objectiveColumns[ObjNotes].header = tr("Notes");
    m_objectives = new ObjectivesModel(objectiveColumns, [this](Objective &o) {
        if (!check(PlanRepository(m_store->database()).updateObjective(o)))
            return false;
        QMetaObject::invokeMethod(this, [this] { rescore(); Q_EMIT objectivesChanged(); }, Qt::QueuedConnection);
        return true;
    }, this);

    using PersonCol = PeopleModel::Column;
    auto personText = [](QString Person::*member, const QString &header) {
        return PersonCol{header, [member](const Person &p, int role) { return isEditOrDisplay(role) ? QVariant(p.*member) : QVariant(); },
                         [member](Person &p, const QVariant &v) {
                             p.*member = v.toString().trimmed();
                             return true;
                         }};
    };
    QList<PersonCol> personColumns = {personText(&Person::name, tr("Name")), personText(&Person::role, tr("Role")),
                                      personText(&Person::email, tr("Email"))};
    personColumns[PersonEmail].set = [](Person &p, const QVariant &v) {
        const QString email = v.toString().trimmed();
        if (!email.isEmpty() && !EmailAddress::isValid(email.toUtf8()))
            return false;
        p.email = email;
        return true;
    };
    m_people = new PeopleModel(personColumns, [this](Person &p) { return check(PlanRepository(m_store->database()).updatePerson(p)); }, this);

    using StageCol = StagesModel::Column;
    QList<StageCol> stageColumns(StageContacts + 1);
    stageColumns[StageTitle] = {tr("Stage"),
                                [](const Stage &s, int role) -> QVariant {
                                    if (isEditOrDisplay(role))
                                        return s.title;
                                    if (role == Qt::ToolTipRole)
                                        return s.notes.isEmpty() ? QVariant() : QVariant(s.notes);
                                    if (role == Qt::FontRole && s.milestone) {
                                        QFont f;
                                        f.setBold(true);
                                        return f;
                                    }
                                    return {};
                                },
                                [](Stage &s, const QVariant &v) {
                                    const QString t = v.toString().trimmed();
                                    if (t.isEmpty())
                                        return false;
                                    s.title = t;
                                    return true;
                                }};
    stageColumns[StageOwner] = {tr("Owner"),
                                [](const Stage &s, int role) { return isEditOrDisplay(role) ? QVariant(s.owner) : QVariant(); },
                                [](Stage &s, const QVariant &v) {
                                    s.owner = v.toString().trimmed();
                                    return true;
                                }};
    stageColumns[StageStart] = {tr("Start"),
                                [](const Stage &s, int role) -> QVariant {
                                    if (role == Qt::EditRole)
                                        return s.start;
                                    if (role == Qt::DisplayRole)
                                        return QLocale().toString(s.start, QLocale::ShortFormat);
                                    if (role == Qt::ToolTipRole)
                                        return s.earliestStart.isValid()
                                            ? tr("Pinned: starts no earlier than %1").arg(QLocale().toString(s.earliestStart, QLocale::LongFormat))
                                            : tr("Starts when the stages it depends on end");
                                    if (role == Qt::FontRole && s.earliestStart.isValid()) {
                                        QFont f;
                                        f.setItalic(true);
                                        return f;
                                    }
                                    return {};
                                },
                                [](Stage &s, const QVariant &v) {
                                    const QDate d = v.toDate();
                                    // Committing the date the stage already has pins nothing (an editor
                                    // left with focus-out); another date pins the earliest start; an
                                    // invalid one unpins it.
                                    if (d.isValid() && d == s.start && !s.earliestStart.isValid())
                                        return false;
                                    s.earliestStart = d.isValid() ? d : QDate();
                                    return true;
                                }};
    stageColumns[StageEnd] = {tr("End"), [](const Stage &s, int role) -> QVariant {
                                  if (role == Qt::DisplayRole)
                                      return QLocale().toString(s.end, QLocale::ShortFormat);
                                  return {};
                              }};
    stageColumns[StageDays] = {tr("Working days"),
                               [](const Stage &s, int role) -> QVariant {
                                   if (isEditOrDisplay(role))
                                       return s.milestone ? 0 : s.durationDays;
                                   if (role == Qt::TextAlignmentRole)
                                       return int(Qt::AlignRight | Qt::AlignVCenter);
                                   return {};
                               },
                               [](Stage &s, const QVariant &v) {
                                   bool ok = false;
                                   const int days = v.toInt(&ok);
                                   if (!ok || days < 0 || days > 250)
                                       return false;
                                   s.durationDays = days;
                                   s.milestone = days == 0;
                                   return true;
                               }};
    stageColumns[StageDepends] = {tr("After"), [this](const Stage &s, int role) -> QVariant {
                                      if (role != Qt::DisplayRole)
                                          return {};
                                      QStringList titles;
                                      for (const QString &key : s.dependsOn) {
                                          if (const Stage *d = m_timeline.find(key))
                                              titles.append(d->title);
                                      }
                                      return titles.join(QStringLiteral(", "));
                                  }};
    stageColumns[StageContacts] = {tr("Contacts"), [](const Stage &s, int role) -> QVariant {
                                       if (role == Qt::DisplayRole)
                                           return s.kind == StageKind::SuppressionWave || s.kind == StageKind::SubscriberWave
                                               ? QVariant(QLocale().toString(s.contacts)) : QVariant();
                                       if (role == Qt::TextAlignmentRole)
                                           return int(Qt::AlignRight | Qt::AlignVCenter);
                                       return {};
                                   }};
    m_stages = new StagesModel(stageColumns, [this](Stage &s) {
        if (!check(PlanRepository(m_store->database()).updateStage(s)))
            return false;
        reschedule();
        if (const Stage *scheduled = m_timeline.find(s.key))
            s = *scheduled;
        return true;
    }, this);

    using TaskCol = ChecklistModel::Column;
    QList<TaskCol> taskColumns(TaskNotes + 1);
    taskColumns[TaskStage] = {tr("Stage"), [](const ResolvedChecklistItem &r, int role) -> QVariant {
                                  return role == Qt::DisplayRole ? QVariant(r.stageTitle) : QVariant();
                              }};
    taskColumns[TaskTitle] = {tr("Task"),
                              [](const ResolvedChecklistItem &r, int role) -> QVariant {
                                  if (isEditOrDisplay(role))
                                      return r.item.title;
                                  if (role == Qt::FontRole && r.item.milestone) {
                                      QFont f;
                                      f.setBold(true);
                                      return f;
                                  }
                                  return {};
                              },
                              [](ResolvedChecklistItem &r, const QVariant &v) {
                                  const QString t = v.toString().trimmed();
                                  if (t.isEmpty())
                                      return false;
                                  r.item.title = t;
                                  return true;
                              }};
    taskColumns[TaskOwner] = {tr("Owner"),
                              [](const ResolvedChecklistItem &r, int role) -> QVariant {
                                  if (role == Qt::DisplayRole)
                                      return r.owner;
                                  if (role == Qt::EditRole)
                                      return r.item.owner.isEmpty() ? r.owner : r.item.owner;
                                  if (role == Qt::ForegroundRole && r.item.owner.isEmpty())
                                      return QBrush(QColor(0x70, 0x70, 0x70));
                                  if (role == Qt::ToolTipRole && r.item.owner.isEmpty())
                                      return tr("The stage's owner");
                                  return {};
                              },
                              [this](ResolvedChecklistItem &r, const QVariant &v) {
                                  const QString owner = v.toString().trimmed();
                                  const QString fromStage = stageOwner(r.item.stageKey);
                                  r.item.owner = owner == fromStage ? QString() : owner;
                                  r.owner = owner.isEmpty() ? fromStage : owner;
                                  return true;
                              }};
    taskColumns[TaskDue] = {tr("Due"),
                            [](const ResolvedChecklistItem &r, int role) -> QVariant {
                                if (role == Qt::DisplayRole)
                                    return QLocale().toString(r.due, QLocale::ShortFormat);
                                if (role == Qt::EditRole)
                                    return r.due;
                                if (role == Qt::ForegroundRole && !r.item.due.isValid())
                                    return QBrush(QColor(0x70, 0x70, 0x70));
                                if (role == Qt::ToolTipRole && !r.item.due.isValid())
                                    return tr("The end of the stage");
                                return {};
                            },
                            [this](ResolvedChecklistItem &r, const QVariant &v) {
                                const QDate d = v.toDate();
                                const Stage *stage = m_timeline.find(r.item.stageKey);
                                const QDate following = stage ? Checklist::followingDue(r.item, *stage) : QDate();
                                // The date the stage gives it is no date of its own: it keeps following the stage.
                                r.item.due = d == following ? QDate() : d;
                                r.due = r.item.due.isValid() ? r.item.due : following;
                                return true;
                            }};
    taskColumns[TaskStatus] = {tr("Status"),
                               [](const ResolvedChecklistItem &r, int role) -> QVariant {
                                   if (role == Qt::DisplayRole)
                                       return ChecklistItem::statusName(r.item.status);
                                   if (role == Qt::EditRole)
                                       return ChecklistItem::statusKey(r.item.status);
                                   return {};
                               },
                               [](ResolvedChecklistItem &r, const QVariant &v) {
                                   const QString text = v.toString();
                                   for (auto s : {ChecklistItem::Status::Open, ChecklistItem::Status::InProgress, ChecklistItem::Status::Done,
                                                  ChecklistItem::Status::Blocked, ChecklistItem::Status::Skipped}) {
                                       if (text == ChecklistItem::statusKey(s) || text == ChecklistItem::statusName(s)) {
                                           r.item.status = s;
                                           return true;
                                       }
                                   }
                                   return false;
                               }};
    taskColumns[TaskNotes] = {tr("Notes"),
                              [](const ResolvedChecklistItem &r, int role) { return isEditOrDisplay(role) ? QVariant(r.item.notes) : QVariant(); },
                              [](ResolvedChecklistItem &r, const QVariant &v) {
                                  r.item.notes = v.toString();
                                  return true;
                              }};
    m_checklist = new ChecklistModel(taskColumns, [this](ResolvedChecklistItem &r) {
        if (!check(PlanRepository(m_store->database()).updateChecklistItem(r.item)))
            return false;
        QMetaObject::invokeMethod(this, &PlanController::checklistChanged, Qt::QueuedConnection);
        return true;
    }, this);

    m_scoring.setWeightSaver([this](const QString &key, int weight) {
        if (!check(PlanRepository(m_store->database()).setWeight(key, weight)))
            return false;
        // Rescoring resets the matrix: not while the view is still committing the edit.
        QMetaObject::invokeMethod(this, &PlanController::rescore, Qt::QueuedConnection);
        return true;
    });

    if (m_assessment) {
        connect(m_assessment, &AssessmentController::inventoryChanged, this, &PlanController::rescore);
        for (AssetKind kind : kAllAssetKinds) {
            if (AssetsModel *model = m_assessment->assetsModel(kind))
                connect(model, &AssetsModel::countChanged, this, &PlanController::rescore);
        }
    }
    load();
}

PlanController::~PlanController() = default;

bool PlanController::check(const Status &status)
{
    if (!status)
        Q_EMIT failed(status.error());
    return status.ok();
}

void PlanController::load()
{
    PlanRepository repo(m_store->database());
    m_objectives->setRecords(repo.objectives());
    m_people->setRecords(repo.people());
    reschedule();
    rescore();
}

void PlanController::reschedule()
{
    m_timeline.start = startDate();
    m_timeline.stages = PlanRepository(m_store->database()).stages();
    m_timeline.schedule();
    m_stages->refreshAll(m_timeline.stages);
    reloadChecklist();
    Q_EMIT timelineChanged();
}

void PlanController::reloadChecklist()
{
    m_checklist->refreshAll(Checklist::resolve(PlanRepository(m_store->database()).checklist(), m_timeline));
}

QString PlanController::stageOwner(const QString &stageKey) const
{
    const Stage *s = m_timeline.find(stageKey);
    return s ? s->owner : QString();
}

QString PlanController::projectName() const
{
    return m_store->name();
}

Result<PlanDocument> PlanController::document() const
{
    if (!m_catalog)
        return Error{tr("the platform catalog is missing.")};
    return PlanDocument::load(*m_store, *m_catalog);
}

// Objectives ---------------------------------------------------------------------------------

bool PlanController::addObjective(const Objective &objective)
{
    Result<qint64> id = PlanRepository(m_store->database()).addObjective(objective);
    if (!id) {
        Q_EMIT failed(id.error());
        return false;
    }
    Objective added = objective;
    added.id = id.value();
    m_objectives->append(added);
    rescore();
    Q_EMIT objectivesChanged();
    return true;
}

bool PlanController::removeObjective(int row)
{
    if (row < 0 || row >= m_objectives->rowCount())
        return false;
    if (!check(PlanRepository(m_store->database()).removeObjective(m_objectives->at(row).id)))
        return false;
    m_objectives->removeAt(row);
    rescore();
    Q_EMIT objectivesChanged();
    return true;
}

// Platform choice ----------------------------------------------------------------------------

PlatformChoice PlanController::choice() const
{
    PlatformChoice c;
    c.platformId = m_store->value(kChoiceKey).toString();
    c.reasons = m_store->value(kReasonsKey).toString();
    c.decidedAt = QDateTime::fromString(m_store->value(kDecidedAtKey).toString(), Qt::ISODate);
    return c;
}

bool PlanController::choose(const QString &platformId, const QString &reasons)
{
    if (m_catalog && !platformId.isEmpty() && !m_catalog->find(platformId))
        return false;
    const QString when = QDateTime::currentDateTimeUtc().toString(Qt::ISODate);
    if (!check(m_store->setValues({{kChoiceKey, platformId}, {kReasonsKey, reasons},
                                   {kDecidedAtKey, platformId.isEmpty() ? QString() : when}})))
        return false;
    if (m_assessment && !platformId.isEmpty())
        m_assessment->setTargetId(platformId);
    m_scoring.setScoring(m_scoring.criteria(), m_scoring.ranking(), platformId);
    Q_EMIT choiceChanged();
    return true;
}

bool PlanController::setChoiceReasons(const QString &reasons)
{
    // Kept also before a platform is recorded: the user may write the reasons first.
    if (reasons == m_store->value(kReasonsKey).toString())
        return true;
    if (!check(m_store->setValue(kReasonsKey, reasons)))
        return false;
    Q_EMIT choiceChanged();
    return true;
}

bool PlanController::resetWeights()
{
    if (!check(PlanRepository(m_store->database()).clearWeights()))
        return false;
    rescore();
    return true;
}

void PlanController::rescore()
{
    const std::optional<Inventory> none;
    const std::optional<Inventory> &inventory = m_assessment ? m_assessment->inventory() : none;
    const PlanScoring scoring = PlanScoring::evaluate(m_catalog, inventory ? &*inventory : nullptr,
                                                      AssessmentRepository(m_store->database()).assetCounts(), objectives(),
                                                      PlanRepository(m_store->database()).weights());
    m_scoring.setScoring(scoring.criteria, scoring.ranking, choice().platformId);
    Q_EMIT rankingChanged();
}

// People ---------------------------------------------------------------------------------------

bool PlanController::addPerson(const Person &person)
{
    Result<qint64> id = PlanRepository(m_store->database()).addPerson(person);
    if (!id) {
        Q_EMIT failed(id.error());
        return false;
    }
    Person added = person;
    added.id = id.value();
    m_people->append(added);
    return true;
}

bool PlanController::removePerson(int row)
{
    if (row < 0 || row >= m_people->rowCount())
        return false;
    if (!check(PlanRepository(m_store->database()).removePerson(m_people->at(row).id)))
        return false;
    m_people->removeAt(row);
    return true;
}

QString PlanController::owner() const
{
    return m_store->value(kOwnerKey).toString();
}

bool PlanController::setOwner(const QString &owner)
{
    if (owner == this->owner())
        return true;
    if (!check(m_store->setValue(kOwnerKey, owner)))
        return false;
    Q_EMIT ownerChanged();
    return true;
}

// Timeline ---------------------------------------------------------------------------------------

QDate PlanController::startDate() const
{
    const QDate stored = QDate::fromString(m_store->value(kStartKey).toString(), Qt::ISODate);
    return stored.isValid() ? stored : WorkingDays::onOrAfter(QDate::currentDate().addDays(1));
}

bool PlanController::setStartDate(const QDate &date)
{
    if (!date.isValid())
        return false;
    if (!check(m_store->setValue(kStartKey, date.toString(Qt::ISODate))))
        return false;
    reschedule();
    return true;
}

bool PlanController::generateTimeline()
{
    const std::optional<Inventory> none;
    const std::optional<Inventory> &inventory = m_assessment ? m_assessment->inventory() : none;
    const QMap<AssetKind, int> assets = AssessmentRepository(m_store->database()).assetCounts();
    const QDate start = startDate();
    Timeline generated = TimelineGenerator::generate(inventory ? &*inventory : nullptr, assets, start);
    const QList<ChecklistItem> items = m_template ? ChecklistGenerator::generate(generated, *m_template) : QList<ChecklistItem>();
    const QDateTime from = m_assessment ? m_assessment->assessedAt() : QDateTime();
    // The plan and what it was generated from, together: a failure leaves the old plan whole.
    if (!check(PlanRepository(m_store->database())
                   .replacePlan(generated.stages, items,
                                {{kStartKey, start.toString(Qt::ISODate)},
                                 {kGeneratedFromKey, from.isValid() ? from.toUTC().toString(Qt::ISODateWithMs) : QString()}})))
        return false;
    reschedule();
    Q_EMIT checklistChanged();
    return true;
}

bool PlanController::timelineOutdated() const
{
    if (!hasTimeline() || !m_assessment || !m_assessment->assessedAt().isValid())
        return false;
    return m_store->value(kGeneratedFromKey).toString() != m_assessment->assessedAt().toUTC().toString(Qt::ISODateWithMs);
}

bool PlanController::updateStage(const Stage &stage)
{
    for (int row = 0; row < m_stages->rowCount(); ++row) {
        if (m_stages->at(row).id != stage.id)
            continue;
        if (!check(PlanRepository(m_store->database()).updateStage(stage)))
            return false;
        reschedule();
        return true;
    }
    return false;
}

bool PlanController::addStage(const QString &title, const QString &afterKey)
{
    const QString name = title.trimmed();
    if (name.isEmpty())
        return false;
    QString key;
    for (int n = 1;; ++n) {
        key = QStringLiteral("custom-%1").arg(n);
        if (!m_timeline.find(key))
            break;
    }
    Stage s;
    s.key = key;
    s.kind = StageKind::Testing;
    s.title = name;
    s.durationDays = 1;
    if (m_timeline.find(afterKey))
        s.dependsOn = {afterKey};
    s.owner = stageOwner(afterKey);
    Result<qint64> id = PlanRepository(m_store->database()).addStage(s);
    if (!id) {
        Q_EMIT failed(id.error());
        return false;
    }
    reschedule();
    return true;
}

bool PlanController::removeStage(const QString &key)
{
    if (!m_timeline.find(key))
        return false;
    if (!check(PlanRepository(m_store->database()).removeStage(key)))
        return false;
    reschedule();
    Q_EMIT checklistChanged();
    return true;
}

// Checklist --------------------------------------------------------------------------------------

bool PlanController::addTask(const QString &stageKey, const QString &title)
{
    if (title.trimmed().isEmpty() || !m_timeline.find(stageKey))
        return false;
    ChecklistItem item;
    item.stageKey = stageKey;
    item.title = title.trimmed();
    Result<qint64> id = PlanRepository(m_store->database()).addChecklistItem(item);
    if (!id) {
        Q_EMIT failed(id.error());
        return false;
    }
    reloadChecklist();
    Q_EMIT checklistChanged();
    return true;
}

bool PlanController::removeTask(int row)
{
    if (row < 0 || row >= m_checklist->rowCount())
        return false;
    if (!check(PlanRepository(m_store->database()).removeChecklistItem(m_checklist->at(row).item.id)))
        return false;
    m_checklist->removeAt(row);
    Q_EMIT checklistChanged();
    return true;
}

bool PlanController::regenerateChecklist()
{
    if (!m_template)
        return false;
    if (!check(PlanRepository(m_store->database()).replaceChecklist(ChecklistGenerator::generate(m_timeline, *m_template))))
        return false;
    reloadChecklist();
    Q_EMIT checklistChanged();
    return true;
}
