#include "pages/timelinepage.h"

#include "dialogs/exportactions.h"
#include "dialogs/prompts.h"
#include "plan/plancontroller.h"
#include "plan/workload.h"
#include "store/projectstore.h"
#include "widgets/choicedelegate.h"
#include "widgets/ganttwidget.h"

#include <QComboBox>
#include <QDateEdit>
#include <QDir>
#include <QFormLayout>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QLineEdit>
#include <QListWidget>
#include <QPlainTextEdit>
#include <QPushButton>
#include <QScrollArea>
#include <QSplitter>
#include <QStandardPaths>
#include <QStyledItemDelegate>
#include <QTabWidget>
#include <QTableView>
#include <QTableWidget>
#include <QTimer>
#include <QVBoxLayout>

namespace {

const QString kTabKey = QStringLiteral("ui.timeline.tab");

/** Owners are typed or picked from the people of the plan and the roles already in use. */
class OwnerDelegate : public QStyledItemDelegate
{
public:
    OwnerDelegate(PlanController *plan, QObject *parent) : QStyledItemDelegate(parent), m_plan(plan) {}

    QWidget *createEditor(QWidget *parent, const QStyleOptionViewItem &, const QModelIndex &) const override
    {
        auto *combo = new QComboBox(parent);
        combo->setObjectName(QStringLiteral("ownerEditor"));
        combo->setEditable(true);
        combo->setInsertPolicy(QComboBox::NoInsert);
        QStringList owners;
        for (const Person &p : m_plan->people()) {
            if (!p.name.isEmpty())
                owners.append(p.name);
        }
        for (const Stage &s : m_plan->timeline().stages) {
            if (!s.owner.isEmpty() && !owners.contains(s.owner))
                owners.append(s.owner);
        }
        combo->addItems(owners);
        return combo;
    }
    void setEditorData(QWidget *editor, const QModelIndex &index) const override
    {
        static_cast<QComboBox *>(editor)->setEditText(index.data(Qt::EditRole).toString());
    }
    void setModelData(QWidget *editor, QAbstractItemModel *model, const QModelIndex &index) const override
    {
        model->setData(index, static_cast<QComboBox *>(editor)->currentText().trimmed());
    }

private:
    PlanController *m_plan;
};

QTableView *makeTable(QAbstractItemModel *model, const QString &name, QWidget *parent)
{
    auto *view = new QTableView(parent);
    view->setObjectName(name);
    view->setModel(model);
    view->setSelectionBehavior(QAbstractItemView::SelectRows);
    view->setSelectionMode(QAbstractItemView::SingleSelection);
    view->setEditTriggers(QAbstractItemView::DoubleClicked | QAbstractItemView::EditKeyPressed | QAbstractItemView::AnyKeyPressed);
    view->verticalHeader()->hide();
    view->setWordWrap(false);
    view->horizontalHeader()->setStretchLastSection(true);
    return view;
}

} // namespace

TimelinePage::TimelinePage(PlanController *plan, ProjectStore *store, QWidget *parent)
    : QWizardPage(parent), m_plan(plan), m_store(store)
{
    setObjectName(QStringLiteral("page_timeline"));
    // Criteria are saved a moment after typing stops, and before another stage is shown.
    m_saveDetails = new QTimer(this);
    m_saveDetails->setSingleShot(true);
    m_saveDetails->setInterval(400);
    connect(m_saveDetails, &QTimer::timeout, this, &TimelinePage::saveStageDetails);
    setTitle(tr("Timeline"));
    setSubTitle(tr("Stages with dates, owners and criteria, generated from the assessment and yours to adjust."));

    auto *layout = new QVBoxLayout(this);
    auto *top = new QHBoxLayout;
    top->addWidget(new QLabel(tr("Start:"), this));
    m_start = new QDateEdit(this);
    m_start->setObjectName(QStringLiteral("startDateEdit"));
    m_start->setCalendarPopup(true);
    m_start->setDisplayFormat(QStringLiteral("ddd d MMM yyyy"));
    m_start->setDate(plan->startDate());
    connect(m_start, &QDateEdit::dateChanged, plan, &PlanController::setStartDate);
    top->addWidget(m_start);
    top->addSpacing(16);
    top->addWidget(new QLabel(tr("Migration owner:"), this));
    m_owner = new QLineEdit(plan->owner(), this);
    m_owner->setObjectName(QStringLiteral("ownerEdit"));
    m_owner->setPlaceholderText(tr("Name on the plan's cover"));
    connect(m_owner, &QLineEdit::editingFinished, this, [this] { m_plan->setOwner(m_owner->text().trimmed()); });
    top->addWidget(m_owner, 1);
    m_generate = new QPushButton(this);
    m_generate->setObjectName(QStringLiteral("generateTimelineButton"));
    connect(m_generate, &QPushButton::clicked, this, &TimelinePage::generate);
    top->addWidget(m_generate);
    layout->addLayout(top);

    m_status = new QLabel(this);
    m_status->setObjectName(QStringLiteral("timelineStatusLabel"));
    m_status->setWordWrap(true);
    layout->addWidget(m_status);

    m_tabs = new QTabWidget(this);
    m_tabs->setObjectName(QStringLiteral("timelineTabs"));
    auto *scroll = new QScrollArea(m_tabs);
    scroll->setObjectName(QStringLiteral("ganttScroll"));
    m_gantt = new GanttWidget(scroll);
    scroll->setWidget(m_gantt);
    scroll->setWidgetResizable(true);
    scroll->setBackgroundRole(QPalette::Base);
    m_tabs->addTab(scroll, tr("Gantt chart"));
    m_tabs->addTab(createStagesTab(), tr("Stages"));
    m_tabs->addTab(createPeopleTab(), tr("People"));
    m_tabs->addTab(createChecklistTab(), tr("Checklist"));
    layout->addWidget(m_tabs, 1);
    m_tabs->setCurrentIndex(qBound(0, m_store->value(kTabKey, 0).toInt(), m_tabs->count() - 1));
    connect(m_tabs, &QTabWidget::currentChanged, this, [this](int index) { m_store->setValue(kTabKey, index).ok(); });

    connect(m_gantt, &GanttWidget::stageClicked, this, [this](int row) {
        m_stages->selectRow(row);
    });

    connect(plan, &PlanController::timelineChanged, this, &TimelinePage::showTimeline);
    // A change that could not be saved: the fields show what the project holds.
    connect(plan, &PlanController::failed, this, [this] {
        const QSignalBlocker block(m_start);
        m_start->setDate(m_plan->startDate());
        m_owner->setText(m_plan->owner());
    });
    connect(plan, &PlanController::ownerChanged, this, [this] {
        if (!m_owner->hasFocus())
            m_owner->setText(m_plan->owner());
    });
    showTimeline();
}

QWidget *TimelinePage::createStagesTab()
{
    auto *tab = new QWidget(this);
    auto *layout = new QVBoxLayout(tab);
    auto *buttons = new QHBoxLayout;
    auto *add = new QPushButton(tr("Add stage"), tab);
    add->setObjectName(QStringLiteral("addStageButton"));
    connect(add, &QPushButton::clicked, this, [this] {
        const int row = currentStageRow();
        const QString after = row >= 0 ? m_plan->timeline().stages.at(row).key : QString();
        m_plan->addStage(tr("New stage"), after);
    });
    auto *remove = new QPushButton(tr("Remove stage"), tab);
    remove->setObjectName(QStringLiteral("removeStageButton"));
    connect(remove, &QPushButton::clicked, this, [this] {
        const int row = currentStageRow();
        if (row < 0)
            return;
        flushDetails();
        // Copies: the timeline may be rescheduled while the question is open.
        const QString key = m_plan->timeline().stages.at(row).key;
        const QString title = m_plan->timeline().stages.at(row).title;
        if (Prompts::instance().confirm(this, tr("Remove stage"),
                                        tr("Remove \"%1\" and its checklist tasks? Stages that waited for it no longer do.").arg(title)))
            m_plan->removeStage(key);
    });
    m_unpin = new QPushButton(tr("Unpin start"), tab);
    m_unpin->setObjectName(QStringLiteral("unpinStartButton"));
    m_unpin->setToolTip(tr("Let the stage start as soon as the stages it waits for end, instead of on the date set."));
    m_unpin->setEnabled(false);
    connect(m_unpin, &QPushButton::clicked, this, [this] {
        const int row = currentStageRow();
        if (row < 0)
            return;
        Stage s = m_plan->timeline().stages.at(row);
        s.earliestStart = QDate();
        m_plan->updateStage(s);
    });
    buttons->addWidget(add);
    buttons->addWidget(remove);
    buttons->addWidget(m_unpin);
    buttons->addStretch();
    buttons->addWidget(new QLabel(tr("Double-click to edit; a start date pins the stage, working days set its length."), tab));
    layout->addLayout(buttons);

    auto *splitter = new QSplitter(Qt::Vertical, tab);
    m_stages = makeTable(m_plan->stagesModel(), QStringLiteral("stagesTable"), splitter);
    m_stages->setColumnWidth(PlanController::StageTitle, 200);
    m_stages->setColumnWidth(PlanController::StageOwner, 150);
    m_stages->setColumnWidth(PlanController::StageStart, 95);
    m_stages->setColumnWidth(PlanController::StageEnd, 95);
    m_stages->setColumnWidth(PlanController::StageDays, 95);
    m_stages->setColumnWidth(PlanController::StageDepends, 220);
    m_stages->setItemDelegateForColumn(PlanController::StageOwner, new OwnerDelegate(m_plan, m_stages));
    connect(m_stages->selectionModel(), &QItemSelectionModel::currentRowChanged, this, &TimelinePage::showStageDetails);

    auto *details = new QWidget(splitter);
    auto *form = new QHBoxLayout(details);
    form->setContentsMargins(0, 0, 0, 0);
    auto column = [details](const QString &label, QWidget *editor) {
        auto *box = new QVBoxLayout;
        box->addWidget(new QLabel(label, details));
        box->addWidget(editor, 1);
        return box;
    };
    m_entry = new QPlainTextEdit(details);
    m_entry->setObjectName(QStringLiteral("entryCriteriaEdit"));
    m_exit = new QPlainTextEdit(details);
    m_exit->setObjectName(QStringLiteral("exitCriteriaEdit"));
    m_depends = new QListWidget(details);
    m_depends->setObjectName(QStringLiteral("dependsList"));
    m_basis = new QLabel(details);
    m_basis->setObjectName(QStringLiteral("stageBasisLabel"));
    m_basis->setWordWrap(true);
    m_basis->setAlignment(Qt::AlignTop | Qt::AlignLeft);
    form->addLayout(column(tr("Entry criteria (one per line)"), m_entry), 3);
    form->addLayout(column(tr("Exit criteria (one per line)"), m_exit), 3);
    form->addLayout(column(tr("Starts after"), m_depends), 2);
    form->addLayout(column(tr("Why this size"), m_basis), 2);
    connect(m_entry, &QPlainTextEdit::textChanged, this, [this] { if (!m_loadingDetails) m_saveDetails->start(); });
    connect(m_exit, &QPlainTextEdit::textChanged, this, [this] { if (!m_loadingDetails) m_saveDetails->start(); });
    // Saved once the list has finished its own handling of the click: saving reschedules, which
    // refreshes the list.
    connect(m_depends, &QListWidget::itemChanged, this, [this] {
        if (!m_loadingDetails)
            QMetaObject::invokeMethod(this, &TimelinePage::saveStageDetails, Qt::QueuedConnection);
    });
    splitter->addWidget(m_stages);
    splitter->addWidget(details);
    splitter->setStretchFactor(0, 3);
    splitter->setStretchFactor(1, 2);
    layout->addWidget(splitter, 1);
    return tab;
}

QWidget *TimelinePage::createPeopleTab()
{
    auto *tab = new QWidget(this);
    auto *layout = new QVBoxLayout(tab);
    auto *intro = new QLabel(tr("Who works on the migration. Use their names or roles as stage and task owners."), tab);
    intro->setWordWrap(true);
    layout->addWidget(intro);
    auto *buttons = new QHBoxLayout;
    auto *add = new QPushButton(tr("Add person"), tab);
    add->setObjectName(QStringLiteral("addPersonButton"));
    auto *remove = new QPushButton(tr("Remove"), tab);
    remove->setObjectName(QStringLiteral("removePersonButton"));
    buttons->addWidget(add);
    buttons->addWidget(remove);
    buttons->addStretch();
    layout->addLayout(buttons);
    m_people = makeTable(m_plan->peopleModel(), QStringLiteral("peopleTable"), tab);
    m_people->setColumnWidth(PlanController::PersonName, 220);
    m_people->setColumnWidth(PlanController::PersonRole, 220);
    layout->addWidget(m_people, 1);

    auto *allocation = new QLabel(tr("Resource allocation: what each owner carries in the plan."), tab);
    layout->addWidget(allocation);
    m_workload = new QTableWidget(0, 6, tab);
    m_workload->setObjectName(QStringLiteral("workloadTable"));
    m_workload->setHorizontalHeaderLabels({tr("Owner"), tr("Stages"), tr("Working days"), tr("Tasks open"), tr("From"), tr("To")});
    m_workload->setEditTriggers(QAbstractItemView::NoEditTriggers);
    m_workload->setSelectionMode(QAbstractItemView::NoSelection);
    m_workload->verticalHeader()->hide();
    m_workload->horizontalHeader()->setStretchLastSection(true);
    m_workload->setColumnWidth(0, 220);
    layout->addWidget(m_workload, 1);
    connect(m_plan, &PlanController::checklistChanged, this, &TimelinePage::showWorkload);
    connect(m_plan->checklistModel(), &QAbstractItemModel::dataChanged, this, &TimelinePage::showWorkload);
    connect(add, &QPushButton::clicked, this, [this] {
        if (!m_plan->addPerson({0, tr("New person"), tr("Role"), QString()}))
            return;
        const QModelIndex index = m_plan->peopleModel()->index(m_plan->peopleModel()->rowCount() - 1, PlanController::PersonName);
        m_people->setCurrentIndex(index);
        m_people->edit(index);
    });
    connect(remove, &QPushButton::clicked, this, [this] {
        if (m_people->currentIndex().isValid())
            m_plan->removePerson(m_people->currentIndex().row());
    });
    return tab;
}

QWidget *TimelinePage::createChecklistTab()
{
    auto *tab = new QWidget(this);
    auto *layout = new QVBoxLayout(tab);
    auto *buttons = new QHBoxLayout;
    m_taskStage = new QComboBox(tab);
    m_taskStage->setObjectName(QStringLiteral("taskStageCombo"));
    auto *add = new QPushButton(tr("Add task"), tab);
    add->setObjectName(QStringLiteral("addTaskButton"));
    auto *remove = new QPushButton(tr("Remove task"), tab);
    remove->setObjectName(QStringLiteral("removeTaskButton"));
    auto *regenerate = new QPushButton(tr("Regenerate"), tab);
    regenerate->setObjectName(QStringLiteral("regenerateChecklistButton"));
    buttons->addWidget(new QLabel(tr("Stage:"), tab));
    buttons->addWidget(m_taskStage);
    buttons->addWidget(add);
    buttons->addWidget(remove);
    buttons->addWidget(regenerate);
    buttons->addStretch();
    buttons->addWidget(new QLabel(tr("Export:"), tab));
    for (const auto &[format, label] : {std::pair{QStringLiteral("pdf"), tr("PDF")}, std::pair{QStringLiteral("csv"), tr("CSV")},
                                        std::pair{QStringLiteral("md"), tr("Markdown")},
                                        std::pair{QStringLiteral("ics"), tr("Calendar")}}) {
        auto *button = new QPushButton(label, tab);
        button->setObjectName(QStringLiteral("exportChecklist_") + format);
        const QString f = format;
        connect(button, &QPushButton::clicked, this, [this, f] { exportChecklist(f); });
        buttons->addWidget(button);
    }
    layout->addLayout(buttons);
    m_checklist = makeTable(m_plan->checklistModel(), QStringLiteral("checklistTable"), tab);
    ChoiceDelegate::Choices statuses;
    using S = ChecklistItem::Status;
    for (S status : {S::Open, S::InProgress, S::Done, S::Blocked, S::Skipped})
        statuses.append({ChecklistItem::statusName(status), ChecklistItem::statusKey(status)});
    m_checklist->setItemDelegateForColumn(PlanController::TaskStatus,
                                          new ChoiceDelegate(statuses, QStringLiteral("statusEditor"), m_checklist));
    m_checklist->setItemDelegateForColumn(PlanController::TaskOwner, new OwnerDelegate(m_plan, m_checklist));
    m_checklist->setColumnWidth(PlanController::TaskStage, 170);
    m_checklist->setColumnWidth(PlanController::TaskTitle, 360);
    m_checklist->setColumnWidth(PlanController::TaskOwner, 140);
    m_checklist->setColumnWidth(PlanController::TaskDue, 90);
    m_checklist->setColumnWidth(PlanController::TaskStatus, 95);
    layout->addWidget(m_checklist, 1);

    connect(add, &QPushButton::clicked, this, [this] {
        if (!m_plan->addTask(m_taskStage->currentData().toString(), tr("New task")))
            return;
        // The new task is the last of its stage.
        const QString stage = m_taskStage->currentData().toString();
        for (int r = m_plan->checklistModel()->rowCount() - 1; r >= 0; --r) {
            if (m_plan->checklistModel()->at(r).item.stageKey == stage) {
                const QModelIndex index = m_plan->checklistModel()->index(r, PlanController::TaskTitle);
                m_checklist->setCurrentIndex(index);
                m_checklist->edit(index);
                break;
            }
        }
    });
    connect(remove, &QPushButton::clicked, this, [this] {
        if (m_checklist->currentIndex().isValid())
            m_plan->removeTask(m_checklist->currentIndex().row());
    });
    connect(regenerate, &QPushButton::clicked, this, [this] {
        if (Prompts::instance().confirm(this, tr("Regenerate checklist"),
                                        tr("Replace the checklist with the tasks generated from the timeline? Tasks you added, "
                                           "statuses and notes are lost.")))
            m_plan->regenerateChecklist();
    });
    return tab;
}

void TimelinePage::initializePage()
{
    if (!m_plan->hasTimeline())
        m_plan->generateTimeline();
    showTimeline();
}

void TimelinePage::generate()
{
    if (m_plan->hasTimeline()
        && !Prompts::instance().confirm(this, tr("Regenerate timeline"),
                                        tr("Replace the stages and the checklist with new ones generated from the assessment? "
                                           "Your changes to them are lost; objectives, people and the platform choice stay.")))
        return;
    m_plan->generateTimeline();
}

void TimelinePage::showTimeline()
{
    const Timeline &t = m_plan->timeline();
    m_gantt->setTimeline(t);
    m_generate->setText(m_plan->hasTimeline() ? tr("Regenerate…") : tr("Generate timeline"));
    if (!m_plan->hasTimeline()) {
        m_status->setText(tr("No timeline yet."));
    } else {
        const QLocale locale;
        const int n = int(t.stages.size());
        QString text = (n == 1 ? tr("1 stage, from %1 to %2.") : tr("%1 stages, from %2 to %3.").arg(n))
                           .arg(locale.toString(t.start, QLocale::LongFormat), locale.toString(t.end(), QLocale::LongFormat));
        if (m_plan->timelineOutdated())
            text += u' ' + tr("<b>The assessment changed since this timeline was generated</b>: regenerate it to size the waves again.");
        m_status->setText(text);
    }
    const QString current = m_taskStage->currentData().toString();
    m_taskStage->clear();
    for (const Stage &s : t.stages)
        m_taskStage->addItem(s.title, s.key);
    m_taskStage->setCurrentIndex(qMax(0, m_taskStage->findData(current)));
    if (!m_stages->currentIndex().isValid() && m_plan->hasTimeline())
        m_stages->setCurrentIndex(m_plan->stagesModel()->index(0, PlanController::StageTitle));
    if (m_start->date() != m_plan->startDate()) {
        const QSignalBlocker block(m_start);
        m_start->setDate(m_plan->startDate());
    }
    showStageDetails();
    showWorkload();
}

void TimelinePage::showWorkload()
{
    const QList<Workload> loads = Workload::compute(m_plan->timeline(), m_plan->checklistModel()->records());
    m_workload->setRowCount(int(loads.size()));
    const QLocale locale;
    for (int r = 0; r < loads.size(); ++r) {
        const Workload &w = loads[r];
        const QStringList cells = {w.owner.isEmpty() ? tr("(no owner yet)") : w.owner, QString::number(w.stages),
                                   QString::number(w.workingDays), tr("%1 of %2").arg(w.openTasks).arg(w.tasks),
                                   locale.toString(w.firstDay, QLocale::ShortFormat), locale.toString(w.lastDay, QLocale::ShortFormat)};
        for (int c = 0; c < cells.size(); ++c) {
            auto *item = new QTableWidgetItem(cells[c]);
            if (c >= 1 && c <= 3)
                item->setTextAlignment(Qt::AlignRight | Qt::AlignVCenter);
            m_workload->setItem(r, c, item);
        }
    }
}

int TimelinePage::currentStageRow() const
{
    const QModelIndex index = m_stages->currentIndex();
    return index.isValid() && index.row() < m_plan->timeline().stages.size() ? index.row() : -1;
}

void TimelinePage::showStageDetails()
{
    // What was typed for the stage shown so far is saved before another is shown.
    if (m_saveDetails->isActive()) {
        m_saveDetails->stop();
        saveStageDetails();
    }
    const int row = currentStageRow();
    m_gantt->setSelectedStage(row);
    m_unpin->setEnabled(row >= 0 && m_plan->timeline().stages.at(row).earliestStart.isValid());
    const bool has = row >= 0;
    m_entry->setEnabled(has);
    m_exit->setEnabled(has);
    m_depends->setEnabled(has);
    m_loadingDetails = true;
    if (!has) {
        m_detailsKey.clear();
        m_depends->clear();
        m_entry->clear();
        m_exit->clear();
        m_basis->clear();
        m_loadingDetails = false;
        return;
    }
    const Stage s = m_plan->timeline().stages.at(row);
    const bool sameStage = s.key == m_detailsKey;
    m_detailsKey = s.key;
    if (m_entry->toPlainText() != s.entryCriteria)
        m_entry->setPlainText(s.entryCriteria);
    if (m_exit->toPlainText() != s.exitCriteria)
        m_exit->setPlainText(s.exitCriteria);
    // The same stage again (after a save): the list keeps its items, only their checks follow.
    bool rebuild = !sameStage || m_depends->count() != m_plan->timeline().stages.size() - 1;
    if (!rebuild) {
        int i = 0;
        for (const Stage &other : m_plan->timeline().stages) {
            if (other.key == s.key)
                continue;
            QListWidgetItem *item = m_depends->item(i++);
            if (item->data(Qt::UserRole).toString() != other.key) {
                rebuild = true;
                break;
            }
            item->setText(other.title);
            item->setCheckState(s.dependsOn.contains(other.key) ? Qt::Checked : Qt::Unchecked);
        }
    }
    if (rebuild) {
        m_depends->clear();
        for (const Stage &other : m_plan->timeline().stages) {
            if (other.key == s.key)
                continue;
            auto *item = new QListWidgetItem(other.title, m_depends);
            item->setData(Qt::UserRole, other.key);
            item->setFlags(Qt::ItemIsEnabled | Qt::ItemIsUserCheckable);
            item->setCheckState(s.dependsOn.contains(other.key) ? Qt::Checked : Qt::Unchecked);
        }
    }
    m_basis->setText(s.notes.isEmpty() ? tr("Set by hand.") : s.notes);
    m_loadingDetails = false;
}

void TimelinePage::saveStageDetails()
{
    // The stage the editors show, which is not always the current row by now.
    const Stage *shown = m_plan->timeline().find(m_detailsKey);
    if (!shown)
        return;
    Stage s = *shown;
    s.entryCriteria = m_entry->toPlainText();
    s.exitCriteria = m_exit->toPlainText();
    QStringList deps;
    for (int i = 0; i < m_depends->count(); ++i) {
        if (m_depends->item(i)->checkState() == Qt::Checked)
            deps.append(m_depends->item(i)->data(Qt::UserRole).toString());
    }
    s.dependsOn = deps;
    if (s.entryCriteria == shown->entryCriteria && s.exitCriteria == shown->exitCriteria && s.dependsOn == shown->dependsOn)
        return;
    m_plan->updateStage(s);
}

TimelinePage::~TimelinePage()
{
    if (m_plan)
        flushDetails();
}

void TimelinePage::flushDetails()
{
    if (m_saveDetails->isActive()) {
        m_saveDetails->stop();
        saveStageDetails();
    }
}

void TimelinePage::hideEvent(QHideEvent *event)
{
    flushDetails(); // leaving the page, or the project closing
    QWizardPage::hideEvent(event);
}

void TimelinePage::exportChecklist(const QString &format)
{
    ExportActions::exportChecklist(this, m_plan, format, [this](const QString &path) {
        m_status->setText(tr("Checklist saved to %1.").arg(QDir::toNativeSeparators(path)));
    });
}
