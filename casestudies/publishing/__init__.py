"""The staff's work on case studies: who may do what (`roles`), the workflow's buttons and what
publishing needs (`workflow`), the versions kept of every change (`history`) and the checks on
uploaded lead images (`images`). Rich text is sanitised
by the model itself (`casestudies.models.richtext`)."""
