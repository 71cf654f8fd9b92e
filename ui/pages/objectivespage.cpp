#include "pages/objectivespage.h"

#include "plan/plancontroller.h"
#include "widgets/choicedelegate.h"

#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QMenu>
#include <QPushButton>
#include <QTableView>
#include <QToolButton>
#include <QVBoxLayout>

ObjectivesPage::ObjectivesPage(PlanController *plan, QWidget *parent) : QWizardPage(parent), m_plan(plan)
{
    setObjectName(QStringLiteral("page_objectives"));
    setTitle(tr("Objectives"));
    setSubTitle(tr("What should the migration achieve? Give each goal a KPI and a threshold, so that success can be measured."));

    auto *layout = new QVBoxLayout(this);
    auto *intro = new QLabel(tr("Pick common goals (each brings measurable criteria you can adjust) or add your own. "
                                "Double-click a cell to edit it; everything is saved as you type."),
                             this);
    intro->setWordWrap(true);
    layout->addWidget(intro);

    auto *buttons = new QHBoxLayout;
    auto *addGoal = new QToolButton(this);
    addGoal->setObjectName(QStringLiteral("addGoalButton"));
    addGoal->setText(tr("Add a common goal"));
    addGoal->setPopupMode(QToolButton::InstantPopup);
    auto *menu = new QMenu(addGoal);
    menu->setObjectName(QStringLiteral("goalsMenu"));
    for (const CommonGoal &goal : CommonGoals::all()) {
        QAction *action = menu->addAction(goal.title);
        action->setObjectName(QStringLiteral("goal_") + goal.key);
        action->setToolTip(goal.description);
        const QString key = goal.key;
        connect(action, &QAction::triggered, this, [this, key] {
            if (const CommonGoal *g = CommonGoals::find(key)) {
                for (const Objective &kpi : g->kpis)
                    m_plan->addObjective(kpi);
            }
        });
    }
    menu->setToolTipsVisible(true);
    addGoal->setMenu(menu);
    buttons->addWidget(addGoal);

    auto *addCustom = new QPushButton(tr("Add custom objective"), this);
    addCustom->setObjectName(QStringLiteral("addCustomObjectiveButton"));
    connect(addCustom, &QPushButton::clicked, this, &ObjectivesPage::addCustom);
    buttons->addWidget(addCustom);
    auto *remove = new QPushButton(tr("Remove"), this);
    remove->setObjectName(QStringLiteral("removeObjectiveButton"));
    connect(remove, &QPushButton::clicked, this, &ObjectivesPage::removeSelected);
    buttons->addWidget(remove);
    buttons->addStretch();
    layout->addLayout(buttons);

    m_table = new QTableView(this);
    m_table->setObjectName(QStringLiteral("objectivesTable"));
    m_table->setModel(plan->objectivesModel());
    ChoiceDelegate::Choices comparisons;
    using C = Objective::Comparison;
    for (C c : {C::Below, C::AtMost, C::AtLeast, C::Above})
        comparisons.append({Objective::comparisonSymbol(c), Objective::comparisonKey(c)});
    m_table->setItemDelegateForColumn(PlanController::ObjComparison,
                                      new ChoiceDelegate(comparisons, QStringLiteral("comparisonEditor"), m_table));
    m_table->setSelectionBehavior(QAbstractItemView::SelectRows);
    m_table->setEditTriggers(QAbstractItemView::DoubleClicked | QAbstractItemView::EditKeyPressed | QAbstractItemView::AnyKeyPressed);
    m_table->verticalHeader()->hide();
    m_table->setWordWrap(false);
    m_table->horizontalHeader()->setSectionResizeMode(QHeaderView::Interactive);
    m_table->horizontalHeader()->setStretchLastSection(true);
    // The objective's own title says which goal it serves; the goal column would repeat it.
    m_table->hideColumn(PlanController::ObjGoal);
    m_table->setColumnWidth(PlanController::ObjTitle, 170);
    m_table->setColumnWidth(PlanController::ObjKpi, 220);
    m_table->setColumnWidth(PlanController::ObjComparison, 55);
    m_table->setColumnWidth(PlanController::ObjThreshold, 75);
    m_table->setColumnWidth(PlanController::ObjUnit, 95);
    m_table->setColumnWidth(PlanController::ObjScope, 160);
    layout->addWidget(m_table, 1);

    auto *empty = new QLabel(tr("No objectives yet. Without them the plan cannot say whether the migration succeeded."), this);
    empty->setObjectName(QStringLiteral("objectivesEmptyLabel"));
    empty->setStyleSheet(QStringLiteral("color: #8a5a00"));
    layout->addWidget(empty);
    auto updateEmpty = [this, empty] { empty->setVisible(m_plan->objectivesModel()->rowCount() == 0); };
    connect(plan, &PlanController::objectivesChanged, empty, updateEmpty);
    updateEmpty();
}

void ObjectivesPage::addCustom()
{
    Objective o;
    o.goal = QStringLiteral("custom");
    o.title = tr("New objective");
    o.kpi = tr("What is measured");
    if (!m_plan->addObjective(o))
        return;
    const QModelIndex index = m_plan->objectivesModel()->index(m_plan->objectivesModel()->rowCount() - 1, PlanController::ObjTitle);
    m_table->setCurrentIndex(index);
    m_table->edit(index);
}

void ObjectivesPage::removeSelected()
{
    const QModelIndexList rows = m_table->selectionModel()->selectedRows();
    QList<int> sorted;
    for (const QModelIndex &i : rows)
        sorted.append(i.row());
    if (sorted.isEmpty() && m_table->currentIndex().isValid())
        sorted.append(m_table->currentIndex().row());
    std::sort(sorted.begin(), sorted.end(), std::greater<>());
    for (int row : sorted)
        m_plan->removeObjective(row);
}
