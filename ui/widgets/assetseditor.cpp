#include "widgets/assetseditor.h"

#include "assessment/assessmentcontroller.h"
#include "widgets/choicedelegate.h"

#include <QComboBox>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QPushButton>
#include <QStyledItemDelegate>
#include <QTableView>
#include <QVBoxLayout>

namespace {

QString hintFor(AssetKind kind)
{
    switch (kind) {
    case AssetKind::Template:
        return AssetsEditor::tr("Templates in use, and the merge tags they rely on (they must be translated for the target).");
    case AssetKind::Campaign:
        return AssetsEditor::tr("Campaigns whose history or results you want to keep.");
    case AssetKind::Automation:
        return AssetsEditor::tr("Automations (welcome series, abandoned cart ...): no platform imports them, each is rebuilt.");
    case AssetKind::Integration:
        return AssetsEditor::tr("Shops, forms, CRMs and other tools connected to the current platform.");
    case AssetKind::SendingDomain:
        return AssetsEditor::tr("Domains you send from: each must be authenticated (SPF, DKIM, DMARC) on the target.");
    }
    return {};
}

} // namespace

AssetsEditor::AssetsEditor(AssessmentController *controller, QWidget *parent) : QTabWidget(parent)
{
    setObjectName(QStringLiteral("assetsTabs"));
    setDocumentMode(true);
    for (const AssetKind kind : kAllAssetKinds)
        addTab(createTab(controller, kind), AssetKinds::displayName(kind));
}

QWidget *AssetsEditor::createTab(AssessmentController *controller, AssetKind kind)
{
    AssetsModel *model = controller->assetsModel(kind);
    const QString key = AssetKinds::key(kind);
    auto *tab = new QWidget(this);
    auto *layout = new QVBoxLayout(tab);
    auto *hint = new QLabel(hintFor(kind), tab);
    hint->setWordWrap(true);
    layout->addWidget(hint);

    auto *view = new QTableView(tab);
    view->setObjectName(QStringLiteral("assetsView_") + key);
    view->setModel(model);
    ChoiceDelegate::Choices plans;
    for (const auto plan : {AssetPlan::Undecided, AssetPlan::Migrate, AssetPlan::Rebuild, AssetPlan::Retire})
        plans.append({AssetPlans::displayName(plan), AssetPlans::key(plan)});
    view->setItemDelegateForColumn(AssetsModel::Plan, new ChoiceDelegate(plans, QStringLiteral("planEditor"), view));
    view->setSelectionBehavior(QAbstractItemView::SelectRows);
    view->setEditTriggers(QAbstractItemView::AllEditTriggers);
    view->verticalHeader()->hide();
    view->verticalHeader()->setDefaultSectionSize(view->fontMetrics().height() + 10);
    view->horizontalHeader()->setStretchLastSection(true);
    view->setColumnWidth(AssetsModel::Name, 220);
    view->setColumnWidth(AssetsModel::Details, 260);
    view->setColumnWidth(AssetsModel::Plan, 150);
    layout->addWidget(view, 1);

    auto *buttons = new QHBoxLayout;
    auto *add = new QPushButton(tr("Add"), tab);
    add->setObjectName(QStringLiteral("addAsset_") + key);
    auto *remove = new QPushButton(tr("Remove"), tab);
    remove->setObjectName(QStringLiteral("removeAsset_") + key);
    remove->setEnabled(false);
    buttons->addWidget(add);
    buttons->addWidget(remove);
    buttons->addStretch();
    layout->addLayout(buttons);

    connect(add, &QPushButton::clicked, view, [view, model] {
        const QModelIndex index = model->addRow();
        if (index.isValid()) {
            view->setCurrentIndex(index);
            view->edit(index);
        }
    });
    connect(remove, &QPushButton::clicked, view, [view, model] {
        const QModelIndexList rows = view->selectionModel()->selectedRows();
        if (!rows.isEmpty())
            model->removeRows(rows.first().row(), 1);
    });
    connect(view->selectionModel(), &QItemSelectionModel::selectionChanged, remove,
            [view, remove] { remove->setEnabled(view->selectionModel()->hasSelection()); });
    return tab;
}
