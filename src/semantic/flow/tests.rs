//! Flow unit tests: branch joins, reassignment order, `del`.

use crate::semantic::tests::kind_at;

#[test]
fn a_branch_binding_a_local_class_makes_the_use_mixed() {
    // `mixed`: no rule takes it until an `isinstance` test on `Local` tells them apart.
    let code = "import replicate\nclass Local:\n    pass\nif cond:\n    p = Local()\nelse:\n    p = replicate.predictions.create(version='v', input={})\np\n";
    assert_eq!(kind_at(code, "p").as_deref(), Some("mixed"));
    let both = "import replicate\nif cond:\n    p = replicate.predictions.get(prediction_id='a')\nelse:\n    p = replicate.predictions.create(version='v', input={})\np\n";
    assert_eq!(kind_at(both, "p").as_deref(), Some("prediction"));
}

#[test]
fn a_later_assignment_replaces_the_earlier_one() {
    let code = "import replicate\nclass Local:\n    pass\np = Local()\np = replicate.predictions.get(prediction_id='a')\np\n";
    assert_eq!(kind_at(code, "p").as_deref(), Some("prediction"));
    let decoy = "import replicate\nclass Local:\n    pass\np = replicate.predictions.get(prediction_id='a')\np = Local()\np\n";
    assert_eq!(kind_at(decoy, "p"), None);
}

#[test]
fn del_unbinds_the_name() {
    // A use after `del` reaches no binding; the same use without the `del` is the prediction.
    let kept = "import replicate\np = replicate.predictions.get(prediction_id='a')\np\n";
    assert_eq!(kind_at(kept, "p").as_deref(), Some("prediction"));
    let deleted = "import replicate\np = replicate.predictions.get(prediction_id='a')\ndel p\np\n";
    assert_eq!(kind_at(deleted, "p"), None);
}
