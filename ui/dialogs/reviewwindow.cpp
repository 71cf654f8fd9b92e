#include "dialogs/reviewwindow.h"

#include "widgets/reviewpanel.h"

#include <QDialogButtonBox>
#include <QPushButton>
#include <QVBoxLayout>

using namespace Qt::StringLiterals;

ReviewWindow::ReviewWindow(IntegrityReview *review, TransferController *transfer, QWidget *parent)
    : QDialog(parent)
    , m_panel(new ReviewPanel(review, transfer, this))
{
    setObjectName(u"reviewWindow"_s);
    setModal(false);
    setWindowFlag(Qt::WindowMaximizeButtonHint, true);
    auto *layout = new QVBoxLayout(this);
    layout->addWidget(m_panel, 1);
    auto *buttons = new QDialogButtonBox(QDialogButtonBox::Close, this);
    buttons->button(QDialogButtonBox::Close)->setObjectName(u"reviewCloseButton"_s);
    connect(buttons, &QDialogButtonBox::rejected, this, &QDialog::close);
    layout->addWidget(buttons);
    resize(1200, 820);
}

void ReviewWindow::setStage(const StageRef &ref)
{
    setWindowTitle(tr("Integrity review - %1").arg(ref.title()));
    m_panel->setStage(ref);
}

void ReviewWindow::setFilesMode()
{
    setObjectName(u"compareFilesWindow"_s);
    setWindowTitle(tr("Compare two files"));
    m_panel->setFilesMode();
}
