#include "wizard/steplist.h"

#include <QFont>

StepList::StepList(QWidget *parent) : QListWidget(parent)
{
    setObjectName(QStringLiteral("stepList"));
    setSelectionMode(QAbstractItemView::SingleSelection);
    setFocusPolicy(Qt::NoFocus);
    setFixedWidth(250);
    setHorizontalScrollBarPolicy(Qt::ScrollBarAlwaysOff);
    setTextElideMode(Qt::ElideRight);
    setFrameShape(QFrame::NoFrame);
    setSpacing(1);

    QString group;
    int number = 0;
    for (const MigrationStep &step : MigrationSteps::all()) {
        if (step.group != group) {
            group = step.group;
            auto *header = new QListWidgetItem(group.toUpper(), this);
            QFont f = header->font();
            f.setBold(true);
            f.setPointSizeF(f.pointSizeF() * 0.85);
            header->setFont(f);
            header->setFlags(Qt::NoItemFlags);
            header->setForeground(palette().color(QPalette::Disabled, QPalette::Text));
        }
        ++number;
        QString text = QStringLiteral("%1.  %2").arg(number).arg(step.title);
        auto *item = new QListWidgetItem(text, this);
        item->setData(kStepRole, int(step.id));
        item->setToolTip(step.summary);
        if (!step.available) {
            item->setForeground(palette().color(QPalette::Disabled, QPalette::Text));
            item->setToolTip(step.summary + u'\n' + tr("Arrives in a later release."));
        }
    }
    connect(this, &QListWidget::itemClicked, this, [this](QListWidgetItem *item) {
        const QVariant id = item->data(kStepRole);
        if (id.isValid())
            Q_EMIT stepRequested(StepId(id.toInt()));
    });
}

int StepList::rowOf(StepId id) const
{
    for (int r = 0; r < count(); ++r) {
        if (item(r)->data(kStepRole) == QVariant(int(id)))
            return r;
    }
    return -1;
}

void StepList::setCurrentStep(StepId id)
{
    const int row = rowOf(id);
    for (int r = 0; r < count(); ++r) {
        QListWidgetItem *it = item(r);
        if (!it->data(kStepRole).isValid())
            continue;
        QFont f = it->font();
        f.setBold(r == row);
        it->setFont(f);
    }
    setCurrentRow(row);
}
